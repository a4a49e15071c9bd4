package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.DebugRuntime;
import dev.berth.cli.internal.stack.ServiceSpec.LeaseMode;
import dev.berth.local.DebugAgents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A service's {@code debug:}: {@code true} (the runtime told from the command's program),
 * {@code false} (the default), {@code java} or {@code node}, and what it cannot go with: an
 * endpoint of its own named {@code debug} (the agent's endpoint is added by Berth; two of one
 * name would be one port for two things), {@code node} with {@code lease: self} (only the Java
 * library adds the agent's port to the lease it holds), {@code lease: self} with more than one
 * instance (each JVM learns its port before it starts, one sticky berth for all of them), and an
 * agent the command already starts (on its command line, or in the runner's environment or the
 * service's {@code env}). Confined to the thread reading the file.
 */
final class DebugReader {

  static final String SHAPE = "true, false, java or node";

  private final YamlNodes nodes;
  private final String where;
  private final Map<String, String> inherited;

  /** @param inherited the runner's environment, which the service's env adds to */
  DebugReader(YamlNodes nodes, String where, Map<String, String> inherited) {
    this.nodes = nodes;
    this.where = where;
    this.inherited = inherited;
  }

  /**
   * @param endpointsNode the {@code endpoints:} list, null when the service has none
   */
  Optional<DebugRuntime> read(Node v, List<String> command, Map<String, String> env, LeaseMode lease,
      int instances, Node endpointsNode) {
    String at = where + ".debug";
    Optional<DebugRuntime> runtime = runtime(v, at, command);
    if (runtime.isEmpty()) {
      return runtime;
    }
    DebugRuntime r = runtime.get();
    if (endpointsNode != null) {
      for (Node item : nodes.list(endpointsNode, where + ".endpoints", "a list of endpoint names")) {
        if (item instanceof ScalarNode s && s.getValue().equals(DebugRuntime.ENDPOINT)) {
          throw nodes.error(item, where + ".endpoints: 'debug' is the debugger's endpoint, which"
              + " debug: adds (expected: leave it out of endpoints)");
        }
      }
    }
    if (lease == LeaseMode.SELF && r == DebugRuntime.NODE) {
      throw nodes.error(v, at + ": " + r.word() + " with lease: self (expected: lease: runner for a"
          + " Node program; only the Java library adds the debug port to the lease it holds)");
    }
    if (lease == LeaseMode.SELF && instances > 1) {
      throw nodes.error(v, at + ": with lease: self and instances: " + instances + " (expected:"
          + " instances: 1, one JVM on the sticky debug port; or lease: runner, a debug port each)");
    }
    Map<String, String> childEnv = new LinkedHashMap<>(inherited);
    childEnv.putAll(env);
    Optional<String> agent = r.agentAlready(command, childEnv);
    if (agent.isPresent()) {
      throw nodes.error(v, at + ": the command already starts a debugger: " + agent.get()
          + " (expected: remove it, or debug: false to keep your own)");
    }
    return runtime;
  }

  private Optional<DebugRuntime> runtime(Node v, String at, List<String> command) {
    if (v instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
      if (!s.getValue().equalsIgnoreCase("true")) {
        return Optional.empty();
      }
      Optional<DebugRuntime> detected = DebugRuntime.detect(command);
      if (detected.isEmpty()) {
        throw nodes.error(v, at + ": cannot tell whether '" + YamlNodes.shown(program(command))
            + "' is Java or Node (expected: debug: java or debug: node, naming the runtime the"
            + " command starts)");
      }
      return detected;
    }
    String text = nodes.text(v, at, SHAPE);
    Optional<DebugRuntime> named = DebugRuntime.ofWord(text);
    if (named.isEmpty() || !text.equals(named.get().word())) {
      throw nodes.error(v, at + ": " + YamlNodes.describe(v) + " (expected: " + SHAPE + ")");
    }
    return named;
  }

  /** The program a command runs, the first word of an {@code sh -c} string. */
  static String program(List<String> command) {
    List<String> program = DebugAgents.program(command);
    return program.isEmpty() ? command.get(0) : program.get(0);
  }
}
