package dev.berth.cli.internal.ide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.berth.cli.internal.DebugRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VsCodeLaunchTest {

  @TempDir
  Path dir;

  private JsonArray configurations(Path file) throws Exception {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject().getAsJsonArray("configurations");
  }

  @Test
  void update_whenMissing_createsTheFileWithOneEntry() throws Exception {
    Path file = VsCodeLaunch.path(dir);

    VsCodeLaunch.Outcome outcome = VsCodeLaunch.update(file, VsCodeLaunch.entry("orders", DebugRuntime.JAVA, 41000));

    assertThat(outcome.written()).isTrue();
    assertThat(outcome.backup()).isEmpty();
    JsonObject root = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    assertThat(root.get("version").getAsString()).isEqualTo("0.2.0");
    assertThat(root.getAsJsonArray("configurations")).containsExactly(JsonParser.parseString(
        "{\"name\": \"orders (berth debug)\", \"type\": \"java\", \"request\": \"attach\","
            + " \"hostName\": \"127.0.0.1\", \"port\": 41000}"));
  }

  @Test
  void update_node_isAnAttachThatRestarts() throws Exception {
    Path file = VsCodeLaunch.path(dir);

    VsCodeLaunch.update(file, VsCodeLaunch.entry("web", DebugRuntime.NODE, 41001));

    assertThat(configurations(file)).containsExactly(JsonParser.parseString(
        "{\"name\": \"web (berth debug)\", \"type\": \"node\", \"request\": \"attach\","
            + " \"address\": \"127.0.0.1\", \"port\": 41001, \"restart\": true}"));
  }

  @Test
  void update_jsoncWithTrailingCommas_keepsOtherEntries_updatesOursByName_keepsItsOtherKeys_backsUpTheComments()
      throws Exception {
    Path file = Files.createDirectories(dir.resolve(".vscode")).resolve("launch.json");
    String before = "/* top */ {\n  \"version\": \"0.2.0\", // why\n  \"configurations\": [\n"
        + "    {\"name\": \"Launch\", \"type\": \"node\", \"url\": \"http://x//y\", \"note\": \"/* not a comment */\",},\n"
        + "    {\"name\": \"orders (berth debug)\", \"type\": \"node\", \"address\": \"127.0.0.1\", \"port\": 1,"
        + " \"restart\": true, \"projectName\": \"orders\"},\n  ],\n}\n";
    Files.writeString(file, before);

    VsCodeLaunch.Outcome outcome = VsCodeLaunch.update(file, VsCodeLaunch.entry("orders", DebugRuntime.JAVA, 41002));

    assertThat(outcome.written()).isTrue();
    assertThat(outcome.backup()).contains(file.resolveSibling("launch.json.bak"));
    assertThat(Files.readString(file.resolveSibling("launch.json.bak"))).isEqualTo(before);
    JsonArray configurations = configurations(file); // strict JSON now
    assertThat(configurations).hasSize(2);
    assertThat(configurations.get(0)).isEqualTo(JsonParser.parseString(
        "{\"name\": \"Launch\", \"type\": \"node\", \"url\": \"http://x//y\", \"note\": \"/* not a comment */\"}"));
    assertThat(configurations.get(1)).isEqualTo(JsonParser.parseString(
        "{\"name\": \"orders (berth debug)\", \"type\": \"java\", \"port\": 41002, \"projectName\": \"orders\","
            + " \"request\": \"attach\", \"hostName\": \"127.0.0.1\"}"));
  }

  @Test
  void update_whenTheEntryIsAlreadySo_writesNothing_evenInAFileWithComments() throws Exception {
    Path file = VsCodeLaunch.path(dir);
    Files.createDirectories(file.getParent());
    String text = "{\n  // mine\n  \"configurations\": [{\"name\": \"orders (berth debug)\", \"type\": \"java\","
        + " \"request\": \"attach\", \"hostName\": \"127.0.0.1\", \"port\": 41003}]\n}\n";
    Files.writeString(file, text);

    VsCodeLaunch.Outcome outcome = VsCodeLaunch.update(file, VsCodeLaunch.entry("orders", DebugRuntime.JAVA, 41003));

    assertThat(outcome.written()).isFalse();
    assertThat(Files.readString(file)).isEqualTo(text);
    assertThat(file.resolveSibling("launch.json.bak")).doesNotExist();
  }

  @Test
  void update_unparseableOrMisshapen_throwsNamingTheFile_leavesItAlone() throws Exception {
    Path file = VsCodeLaunch.path(dir);
    Files.createDirectories(file.getParent());
    for (String text : new String[] {"{\"configurations\": [", "[1, 2]", "{\"configurations\": {}}", "{} {}"}) {
      Files.writeString(file, text);
      assertThatThrownBy(() -> VsCodeLaunch.update(file, VsCodeLaunch.entry("orders", DebugRuntime.JAVA, 41004)))
          .as(text).isInstanceOf(VsCodeLaunch.Unreadable.class).hasMessageStartingWith(file.toString())
          .hasMessageNotContaining("\n");
      assertThat(Files.readString(file)).isEqualTo(text);
    }
  }
}
