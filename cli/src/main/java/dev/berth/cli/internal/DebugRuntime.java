package dev.berth.cli.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The debugger agent {@code berth run --debug} and {@code debug:} in {@code berth.yaml} start
 * in a program, listening on 127.0.0.1 at the sticky port of the instance's {@code debug}
 * endpoint: a JVM's JDWP agent through {@code JAVA_TOOL_OPTIONS}, Node's inspector through
 * {@code NODE_OPTIONS}. The port is the same every run, so an IDE's attach configuration
 * written once ({@code berth debug NAME}) keeps working. Nothing of Berth's connects to it: a
 * JDWP agent logs "handshake failed" for every connect that is not a debugger's, so the
 * endpoint is checked in {@code /proc} (or by a bind), never by a connect.
 *
 * <p>Immutable; the methods are stateless.
 */
public enum DebugRuntime {
  /** A JVM: {@code -agentlib:jdwp=...} in {@code JAVA_TOOL_OPTIONS}. */
  JAVA("java", "jdwp", "JAVA_TOOL_OPTIONS"),
  /** Node.js: {@code --inspect=...} in {@code NODE_OPTIONS}. */
  NODE("node", "inspector", "NODE_OPTIONS");

  /** The endpoint the agent listens on. */
  public static final String ENDPOINT = "debug";
  /** The lease metadata key whose value is {@link #metadataValue()}. */
  public static final String METADATA_KEY = "debug";
  /**
   * For a program that joins Berth itself ({@code lease: self} in berth.yaml): the port its
   * agent listens on, which the library adds to the lease of {@code $BERTH_SERVICE} as the
   * {@code debug} endpoint, already bound (the agent binds it as the JVM starts).
   */
  public static final String SELF_PORT_ENV = "BERTH_DEBUG_PORT";

  private final String word;
  private final String metadataValue;
  private final String variable;

  DebugRuntime(String word, String metadataValue, String variable) {
    this.word = word;
    this.metadataValue = metadataValue;
    this.variable = variable;
  }

  /** "java" or "node", as berth.yaml's {@code debug:} and {@code --debug-runtime} spell it. */
  public String word() {
    return word;
  }

  /** "jdwp" or "inspector": the lease metadata value under {@link #METADATA_KEY}. */
  public String metadataValue() {
    return metadataValue;
  }

  /** The environment variable the agent's option goes into. */
  public String variable() {
    return variable;
  }

  /** The option that starts the agent on 127.0.0.1:{@code port}, not suspended. */
  public String option(int port) {
    return this == JAVA
        ? "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + port
        : "--inspect=127.0.0.1:" + port;
  }

  /**
   * Adds {@link #option} to {@code env}'s {@link #variable()}, after what the user put there.
   *
   * @throws IllegalArgumentException the variable already starts an agent (two agents cannot
   *     share a JVM; Node takes the last {@code --inspect}): the message says which and the fix
   */
  public void apply(Map<String, String> env, int port) {
    String existing = env.getOrDefault(variable, "").trim();
    if (startsAgent(existing)) {
      throw new IllegalArgumentException(variable + " already starts a debugger ('" + existing
          + "'): remove that, or do without Berth's debug port");
    }
    env.put(variable, existing.isEmpty() ? option(port) : existing + " " + option(port));
  }

  private boolean startsAgent(String options) {
    for (String arg : options.split("\\s+")) {
      if (this == JAVA ? arg.startsWith("-agentlib:jdwp") || arg.startsWith("-Xrunjdwp")
          : arg.startsWith("--inspect")) {
        return true;
      }
    }
    return false;
  }

  /** {@code java} or {@code node} (any case); empty otherwise. */
  public static Optional<DebugRuntime> ofWord(String word) {
    for (DebugRuntime r : values()) {
      if (r.word.equals(word.toLowerCase(Locale.ROOT))) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * The runtime {@code argv} starts, from its program: {@code java} or {@code node} (a path
   * ending in them, {@code nodejs} too), also behind {@code sh -c '[exec] [VAR=value...] PROGRAM ...'}
   * and {@code env [VAR=value...] PROGRAM}. Empty for anything else: a launcher such as
   * {@code mvn}, {@code gradle} or {@code npm} is a JVM or Node itself and would take the port
   * before the program it starts, so it is not guessed.
   */
  public static Optional<DebugRuntime> detect(List<String> argv) {
    if (argv.isEmpty()) {
      return Optional.empty();
    }
    String program = base(argv.get(0));
    if ((program.equals("sh") || program.equals("bash")) && argv.size() >= 3 && argv.get(1).equals("-c")) {
      return detect(words(argv.get(2)));
    }
    if (program.equals("env") || program.equals("exec")) {
      List<String> rest = argv.subList(1, argv.size());
      while (!rest.isEmpty() && rest.get(0).contains("=")) {
        rest = rest.subList(1, rest.size());
      }
      return detect(rest);
    }
    switch (program) {
      case "java":
        return Optional.of(JAVA);
      case "node":
      case "nodejs":
        return Optional.of(NODE);
      default:
        return Optional.empty();
    }
  }

  /** The words of a {@code sh -c} string up to its first operator, assignments before the program skipped. */
  private static List<String> words(String script) {
    List<String> words = new java.util.ArrayList<>();
    for (String w : script.trim().split("\\s+")) {
      if (w.equals("&&") || w.equals(";") || w.equals("|") || w.equals("||")) {
        break;
      }
      if (words.isEmpty() && (w.equals("exec") || (w.contains("=") && !w.startsWith("=")))) {
        continue;
      }
      words.add(w.replace("\"", "").replace("'", ""));
    }
    return words;
  }

  private static String base(String program) {
    Path name = Path.of(program).getFileName();
    return name == null ? program : name.toString();
  }
}
