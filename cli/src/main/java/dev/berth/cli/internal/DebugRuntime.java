package dev.berth.cli.internal;

import dev.berth.local.DebugAgents;
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
  JAVA("java", DebugAgents.Kind.JDWP, "JAVA_TOOL_OPTIONS"),
  /** Node.js: {@code --inspect=...} in {@code NODE_OPTIONS}. */
  NODE("node", DebugAgents.Kind.INSPECTOR, DebugAgents.NODE_VARIABLE);

  /** The endpoint the agent listens on: {@link DebugAgents#ENDPOINT}. */
  public static final String ENDPOINT = DebugAgents.ENDPOINT;
  /** The lease metadata key whose value is {@link #metadataValue()}: {@link DebugAgents#METADATA_KEY}. */
  public static final String METADATA_KEY = DebugAgents.METADATA_KEY;
  /**
   * For a program that joins Berth itself ({@code lease: self} in berth.yaml): the port its
   * agent listens on, which the library adds to the lease of {@code $BERTH_SERVICE} as the
   * {@code debug} endpoint, already bound (the agent binds it as the JVM starts):
   * {@link DebugAgents#PORT_ENV}.
   */
  public static final String SELF_PORT_ENV = DebugAgents.PORT_ENV;

  private final String word;
  private final DebugAgents.Kind kind;
  private final String variable;

  DebugRuntime(String word, DebugAgents.Kind kind, String variable) {
    this.word = word;
    this.kind = kind;
    this.variable = variable;
  }

  /** "java" or "node", as berth.yaml's {@code debug:} and {@code --debug-runtime} spell it. */
  public String word() {
    return word;
  }

  /** "jdwp" or "inspector": the lease metadata value under {@link #METADATA_KEY}. */
  public String metadataValue() {
    return kind.metadataValue();
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
    if (!agents(List.of(), Map.of(variable, existing)).isEmpty()) {
      throw new IllegalArgumentException(variable + " already starts a debugger ('" + existing
          + "'): remove that, or do without Berth's debug port");
    }
    env.put(variable, existing.isEmpty() ? option(port) : existing + " " + option(port));
  }

  /**
   * The agent of this runtime that {@code command} with {@code env} (the environment the child
   * gets) starts already, anywhere {@link DebugAgents} looks: "OPTION on the command line" or
   * "OPTION in VARIABLE"; empty when there is none. A second JDWP agent (listening or not) aborts
   * the JVM ("Cannot load this JVM TI agent twice"); a second {@code --inspect} wins over
   * Berth's, so both are refused before anything starts.
   */
  public Optional<String> agentAlready(List<String> command, Map<String, String> env) {
    return agents(command, env).stream().findFirst().map(DebugAgents.Agent::describe);
  }

  private List<DebugAgents.Agent> agents(List<String> command, Map<String, String> env) {
    // the command line is read only when it is this runtime's program (a script's options are not the JVM's)
    List<String> argv = detect(command).filter(r -> r == this).isPresent() ? command : List.of(word);
    return DebugAgents.of(argv, env).stream().filter(a -> a.kind() == kind).toList();
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
    List<String> program = DebugAgents.program(argv);
    if (program.isEmpty()) {
      return Optional.empty();
    }
    Path name = Path.of(program.get(0)).getFileName();
    switch (name == null ? program.get(0) : name.toString()) {
      case "java":
        return Optional.of(JAVA);
      case "node":
      case "nodejs":
        return Optional.of(NODE);
      default:
        return Optional.empty();
    }
  }
}
