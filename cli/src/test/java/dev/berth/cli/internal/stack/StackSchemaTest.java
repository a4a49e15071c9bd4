package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.berth.local.DnsLabel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * docs/berth.schema.json, the editors' view of a berth.yaml, says what the validator says: the
 * same keys at every level, the same names and ranges, the repo's stack files and the reference's
 * examples accepted by both, and bad files refused by both.
 */
class StackSchemaTest {

  static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  static final Path SCHEMA_FILE = ROOT.resolve("docs/berth.schema.json");
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void schema_namesTheValidatorsKeys_atEveryLevel() {
    JsonNode schema = schemaJson();
    JsonNode service = schema.get("$defs").get("service");
    assertThat(names(schema.get("properties"))).isEqualTo(StackKeys.TOP);
    assertThat(names(service.get("properties"))).isEqualTo(StackKeys.SERVICE);
    assertThat(names(service.get("properties").get("ready").get("properties"))).isEqualTo(StackKeys.READY);
    assertThat(names(service.get("properties").get("restart").get("oneOf").get(1).get("properties")))
        .isEqualTo(StackKeys.RESTART);
    assertThat(names(schema.get("patternProperties"))).containsExactly("^" + StackKeys.EXTENSION_PREFIX);
  }

  @Test
  void schema_spellsTheValidatorsRules() {
    JsonNode schema = schemaJson();
    JsonNode defs = schema.get("$defs");
    JsonNode props = defs.get("service").get("properties");
    assertThat(defs.get("dnsLabel").get("pattern").asString()).isEqualTo("^" + DnsLabel.REGEX + "$");
    assertThat(defs.get("duration").get("pattern").asString()).isEqualTo("^" + Durations.REGEX + "$");
    assertThat(props.get("env").get("propertyNames").get("pattern").asString())
        .isEqualTo("^" + ServiceReader.ENV_NAME_REGEX + "$");
    JsonNode reserved = props.get("env").get("propertyNames").get("not").get("anyOf");
    assertThat(strings(reserved.get(0).get("enum"))).containsExactlyInAnyOrderElementsOf(ServiceReader.SET_BY_BERTH);
    assertThat(reserved.get(1).get("pattern").asString()).isEqualTo("^BERTH_PORT_");
    assertThat(props.get("instances").get("maximum").asInt()).isEqualTo(ServiceReader.MAX_INSTANCES);
    assertThat(strings(defs.get("restartMode").get("enum"))).containsExactly("no", "on-failure", "always");
    assertThat(strings(props.get("lease").get("enum"))).containsExactly("runner", "self");
    assertThat(strings(props.get("debug").get("oneOf").get(1).get("enum"))).containsExactlyElementsOf(
        java.util.Arrays.stream(dev.berth.cli.internal.DebugRuntime.values())
            .map(dev.berth.cli.internal.DebugRuntime::word).toList());
    assertThat(strings(schema.get("required"))).containsExactly("services");
    assertThat(strings(defs.get("service").get("required"))).containsExactly("command");
  }

  @Test
  void schema_describesEveryProperty() {
    List<String> undescribed = new ArrayList<>();
    undescribedProperties(schemaJson(), "", undescribed);
    assertThat(undescribed).isEmpty();
  }

  @Test
  void repoStackFiles_areValidForBoth() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(ROOT)) {
      files = walk.filter(p -> p.getFileName().toString().equals(StackNamespace.BERTH_YAML))
          .filter(p -> ROOT.relativize(p).toString().split("/").length < 6)
          .filter(p -> !ROOT.relativize(p).toString().matches("(.*/)?(target|\\.git|node_modules)/.*"))
          .toList();
    }
    for (Path file : files) {
      String text = Files.readString(file);
      assertThat(schemaErrors(text)).as(file.toString()).isEmpty();
      StackFiles.load(file.getParent(), Optional.of(file), System.getenv());
    }
  }

  @Test
  void referenceExamples_areValidForBoth() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/stack-file.md"));
    Matcher block = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(doc);
    int examples = 0;
    while (block.find()) {
      String yaml = block.group(1);
      if (!yaml.contains("services:")) {
        continue;
      }
      examples++;
      assertThat(schemaErrors(yaml)).as(yaml).isEmpty();
      Files.writeString(dir.resolve("berth.yaml"), yaml);
      StackFiles.load(dir, Optional.empty(), System.getenv());
    }
    assertThat(examples).isPositive();
  }

  @Test
  void badFiles_areRefusedByBoth() throws IOException {
    List<String> bad = List.of(
        "services:\n  a:\n    command: [sleep, '1']\n    depends-on: []\n",
        "servics:\n  a:\n    command: [sleep, '1']\n",
        "name: x\n",
        "services:\n  Orders:\n    command: [sleep, '1']\n",
        "services:\n  a:\n    dir: .\n",
        "services:\n  a:\n    command: []\n",
        "services:\n  a:\n    command: [sleep, '1']\n    instances: 17\n",
        "services:\n  a:\n    command: [sleep, '1']\n    restart: never\n",
        "services:\n  a:\n    command: [sleep, '1']\n    restart: {policy: always, tries: 3}\n",
        "services:\n  a:\n    command: [sleep, '1']\n    restart: {window: 30sec}\n",
        "services:\n  a:\n    command: [sleep, '1']\n    ready: {timeout: 5s}\n",
        "services:\n  a:\n    command: [sleep, '1']\n    ready: {http: /h, tcp: true}\n",
        "services:\n  a:\n    command: [sleep, '1']\n    ready: {http: health}\n",
        "services:\n  a:\n    command: [sleep, '1']\n    ready: {tcp: false}\n",
        "services:\n  a:\n    command: [sleep, '1']\n    lease: library\n",
        "services:\n  a:\n    command: [sleep, '1']\n    endpoints: [HTTP]\n",
        "services:\n  a:\n    command: [sleep, '1']\n    endpoints: [a, a]\n",
        "services:\n  a:\n    command: [sleep, '1']\n    endpoints: []\n",
        "services:\n  a:\n    command: [sleep, '1']\n    env: {LOG-LEVEL: x}\n",
        "services:\n  a:\n    command: [sleep, '1']\n    env: {A: [1]}\n",
        "services:\n  a:\n    command: [sleep, '1']\n    env: {PORT: 1}\n",
        "services:\n  a:\n    command: [sleep, '1']\n    env: {BERTH_PORT_ADMIN: 1}\n",
        "services:\n  a:\n    command: [sleep, '1']\n    depends_on: [B]\n",
        "services:\n  a:\n    command: [java, Main]\n    debug: python\n",
        "services:\n  a:\n    command: [java, Main]\n    debug: true\n    endpoints: [main, debug]\n",
        "services:\n  a:\n    command: [java, Main]\n    debug: java\n    ready: {tcp: true, endpoint: debug}\n",
        "services:\n  a:\n    command: node a.js\n    debug: node\n    lease: self\n",
        "services:\n  a:\n    command: [java, Main]\n    debug: true\n    lease: self\n    instances: 2\n");
    for (String yaml : bad) {
      assertThat(schemaErrors(yaml)).as(yaml).isNotEmpty();
      Files.writeString(dir.resolve("berth.yaml"), yaml);
      assertThatThrownBy(() -> StackFiles.load(dir, Optional.empty(), StackFilesTest.ENV)).as(yaml)
          .isInstanceOf(StackFileException.class);
    }
  }

  /** The YAML read as Berth reads it (1.2 core schema: {@code no} is a string), then checked. */
  static List<Error> schemaErrors(String yaml) {
    Object value = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build()).loadFromString(yaml);
    return schema().validate(JSON.valueToTree(value));
  }

  private static Schema schema() {
    try {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(Files.readString(SCHEMA_FILE), InputFormat.JSON);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode schemaJson() {
    try {
      return JSON.readTree(Files.readString(SCHEMA_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.propertyNames().forEach(names::add);
    return names;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asString()));
    return values;
  }

  private static void undescribedProperties(JsonNode node, String path, List<String> out) {
    if (node.isObject()) {
      JsonNode props = node.get("properties");
      if (props != null) {
        for (Map.Entry<String, JsonNode> e : props.properties()) {
          if (!e.getValue().has("description")) {
            out.add(path + "/" + e.getKey());
          }
        }
      }
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        undescribedProperties(e.getValue(), path + "/" + e.getKey(), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        undescribedProperties(node.get(i), path + "/" + i, out);
      }
    }
  }
}
