package dev.berth.cli.internal.ide;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.berth.cli.internal.DebugRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * One entry of a VS Code {@code .vscode/launch.json} that attaches to a service's debug port:
 * {@code {"type": "java", "request": "attach", "hostName": "127.0.0.1", "port": P}} (the Java
 * extension's attach) or {@code {"type": "node", "request": "attach", "address": "127.0.0.1",
 * "port": P, "restart": true}}. It is added, or updated in place by its name, and every other
 * entry and key of the file is kept. Gson cannot keep comments: when a file that had some is
 * rewritten, the file as it was is kept beside it as {@code launch.json.bak}.
 *
 * <p>Stateless.
 */
public final class VsCodeLaunch {

  /** The keys this entry sets, for either runtime: an update drops those the other runtime set. */
  private static final List<String> OWN_KEYS = List.of("type", "request", "hostName", "address", "port", "restart");

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private VsCodeLaunch() {}

  /** What {@link #update} did. */
  public record Outcome(Path file, boolean written, Optional<Path> backup) {}

  /** A {@code launch.json} that is there but cannot be read as one: left alone. */
  public static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** {@code PROJECT/.vscode/launch.json}. */
  public static Path path(Path project) {
    return project.resolve(".vscode").resolve("launch.json");
  }

  /** The entry's name: {@code NAME (berth debug)}, as the IntelliJ configuration's. */
  public static String name(String service) {
    return IntellijRunConfig.name(service);
  }

  /** The entry for {@code service} at 127.0.0.1:{@code port}. */
  public static JsonObject entry(String service, DebugRuntime runtime, int port) {
    JsonObject e = new JsonObject();
    e.addProperty("name", name(service));
    e.addProperty("type", runtime == DebugRuntime.NODE ? "node" : "java");
    e.addProperty("request", "attach");
    if (runtime == DebugRuntime.NODE) {
      e.addProperty("address", "127.0.0.1");
      e.addProperty("port", port);
      e.addProperty("restart", true); // reattach when the program restarts: the port stays
    } else {
      e.addProperty("hostName", "127.0.0.1");
      e.addProperty("port", port);
    }
    return e;
  }

  /** {@code entry} as one line of JSON, for a message. */
  public static String oneLine(JsonObject entry) {
    return entry.toString();
  }

  /**
   * Adds {@code entry} to {@code file}'s {@code configurations}, or updates the one of the same
   * name; creates the file if it is missing. Writes nothing when the entry is already so.
   *
   * @throws Unreadable the file is not JSON (with comments), or not shaped as a launch.json;
   *     the message names the file and what is wrong
   */
  public static Outcome update(Path file, JsonObject entry) throws IOException, Unreadable {
    JsonObject root;
    boolean hadComments = false;
    String before = null;
    if (Files.exists(file)) {
      before = Files.readString(file, StandardCharsets.UTF_8);
      JsonElement tree;
      try {
        Jsonc.Parsed parsed = Jsonc.parse(before);
        tree = parsed.tree();
        hadComments = parsed.hadComments();
      } catch (JsonParseException e) {
        throw new Unreadable(file + " cannot be parsed (" + cause(e) + ")", e);
      }
      if (tree.isJsonNull()) {
        root = new JsonObject(); // an empty file
      } else if (!tree.isJsonObject()) {
        throw new Unreadable(file + " is not a JSON object (expected: {\"version\": ..., \"configurations\": [...]})", null);
      } else {
        root = tree.getAsJsonObject();
      }
    } else {
      root = new JsonObject();
    }
    if (!root.has("version")) {
      root.addProperty("version", "0.2.0");
    }
    JsonElement configurations = root.get("configurations");
    if (configurations == null || configurations.isJsonNull()) {
      configurations = new JsonArray();
      root.add("configurations", configurations);
    } else if (!configurations.isJsonArray()) {
      throw new Unreadable(file + ": \"configurations\" is not an array (expected: [...])", null);
    }
    if (!put(configurations.getAsJsonArray(), entry) && before != null) {
      return new Outcome(file, false, Optional.empty());
    }
    Optional<Path> backup = Optional.empty();
    if (hadComments) {
      Path bak = file.resolveSibling(file.getFileName() + ".bak");
      Files.copy(file, bak, StandardCopyOption.REPLACE_EXISTING);
      backup = Optional.of(bak);
    }
    boolean written = ProjectFile.write(file, GSON.toJson(root) + "\n");
    return new Outcome(file, written, backup);
  }

  /** Puts {@code entry} into {@code configurations}; false when it was there already, the same. */
  private static boolean put(JsonArray configurations, JsonObject entry) {
    String name = entry.get("name").getAsString();
    for (JsonElement e : configurations) {
      if (e.isJsonObject() && e.getAsJsonObject().has("name")
          && e.getAsJsonObject().get("name").isJsonPrimitive()
          && e.getAsJsonObject().get("name").getAsString().equals(name)) {
        JsonObject existing = e.getAsJsonObject();
        JsonObject before = existing.deepCopy();
        for (String key : OWN_KEYS) {
          if (!entry.has(key)) {
            existing.remove(key);
          }
        }
        entry.entrySet().forEach(kv -> existing.add(kv.getKey(), kv.getValue()));
        return !existing.equals(before);
      }
    }
    configurations.add(entry);
    return true;
  }

  private static String cause(JsonParseException e) {
    Throwable t = e.getCause() != null ? e.getCause() : e;
    String message = t.getMessage() == null ? t.toString() : t.getMessage();
    // Gson adds a line pointing at its troubleshooting page: the location is what helps here
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
