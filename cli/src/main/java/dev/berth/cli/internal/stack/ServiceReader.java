package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.DebugRuntime;
import dev.berth.cli.internal.stack.ServiceSpec.LeaseMode;
import dev.berth.cli.internal.stack.ServiceSpec.ReadyCheck;
import dev.berth.cli.internal.stack.ServiceSpec.RestartPolicy;
import dev.berth.local.DnsLabel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * One entry of a berth.yaml's {@code services:}, read into a {@link Draft}: everything that can
 * be checked without the other services. {@link StackYaml} then checks what depends on them
 * ({@code depends_on}, {@code ${...}}, cycles).
 *
 * <p>Confined to the thread reading the file.
 */
final class ServiceReader {

  static final String COMMAND_SHAPE = "a list of strings, or a string run by sh -c";
  static final int MAX_INSTANCES = 16;
  static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);

  static final String ENV_NAME_REGEX = "[A-Za-z_][A-Za-z0-9_]*";

  private static final Pattern ENV_NAME = Pattern.compile(ENV_NAME_REGEX);

  /**
   * What the supervisor sets (and BERTH_PORT_*): a service's env may not override them, since a
   * program binding another $PORT than its lease's, or joining another namespace, breaks the
   * stack without a word.
   */
  static final Set<String> SET_BY_BERTH = Set.of("PORT", "BERTH_SERVICE", "BERTH_INSTANCE",
      "BERTH_NAMESPACE", "BERTH_HOME", "BERTH_REGISTRY");

  /** A {@code depends_on} entry, with its node for messages. */
  record Dependency(String service, Node node) {}

  /** A {@code ${...}} in the value of env variable {@code variable}. */
  record EnvRef(String variable, EnvTemplate.Ref ref, Node valueNode) {}

  /** A service as written, before the checks that need the other services. */
  record Draft(String name, ScalarNode keyNode, List<String> command, Path dir,
      Map<String, String> env, List<String> endpoints, List<Dependency> dependsOn,
      List<EnvRef> refs, Optional<ReadyCheck> ready, RestartPolicy restart, int instances,
      LeaseMode lease, Optional<DebugRuntime> debug) {}

  static boolean isSetByBerth(String variable) {
    return SET_BY_BERTH.contains(variable) || variable.startsWith("BERTH_PORT_");
  }

  private final YamlNodes nodes;
  private final Path stackDir;
  private final Map<String, String> environment;

  /**
   * @param environment the runner's environment: its {@code PATH} is where programs are looked up
   */
  ServiceReader(YamlNodes nodes, Path stackDir, Map<String, String> environment) {
    this.nodes = nodes;
    this.stackDir = stackDir;
    this.environment = environment;
  }

  Draft read(String name, ScalarNode keyNode, Node value) {
    if (!DnsLabel.isLabel(name)) {
      throw nodes.error(keyNode, "services: bad service name '" + YamlNodes.shown(name)
          + "' (expected: " + DnsLabel.RULE + ")");
    }
    String where = "services." + name;
    List<String> command = null;
    Node programNode = null;
    Path dir = stackDir;
    Map<String, String> env = new LinkedHashMap<>();
    List<String> endpoints = List.of(EnvTemplate.DEFAULT_ENDPOINT);
    Node endpointsNode = null;
    List<Dependency> dependsOn = List.of();
    List<EnvRef> refs = new ArrayList<>();
    Node readyNode = null;
    RestartPolicy restart = RestartPolicy.DEFAULT;
    int instances = 1;
    LeaseMode lease = LeaseMode.RUNNER;
    Node debugNode = null;
    for (YamlNodes.Entry e : nodes.map(value, where, "a map with at least command:")) {
      String at = where + "." + e.key();
      Node v = e.value();
      switch (e.key()) {
        case "command" -> {
          command = command(v, at);
          programNode = v instanceof ScalarNode ? v : nodes.list(v, at, COMMAND_SHAPE).get(0);
        }
        case "dir" -> dir = dir(v, at);
        case "env" -> env = env(v, at, name, refs);
        case "endpoints" -> {
          endpoints = endpoints(v, at);
          endpointsNode = v;
        }
        case "depends_on" -> dependsOn = dependsOn(v, at);
        case "ready" -> readyNode = v;
        case "restart" -> restart = RestartReader.read(nodes, v, at);
        case "instances" -> {
          String expected = "a whole number from 1 to " + MAX_INSTANCES;
          instances = nodes.integer(v, at, expected);
          if (instances < 1 || instances > MAX_INSTANCES) {
            throw nodes.error(v, at + ": " + instances + " (expected: " + expected + ")");
          }
        }
        case "lease" -> lease = lease(v, at);
        case "debug" -> debugNode = v;
        default -> throw nodes.error(e.keyNode(), StackKeys.unknown(where, e.key(), StackKeys.SERVICE));
      }
    }
    if (command == null) {
      throw nodes.error(keyNode, where + ": no command (expected: command: " + COMMAND_SHAPE + ")");
    }
    Optional<DebugRuntime> debug = debugNode == null ? Optional.empty()
        : new DebugReader(nodes, where, environment).read(debugNode, command, env, lease, instances, endpointsNode);
    Optional<ReadyCheck> ready = readyNode == null ? Optional.empty()
        : Optional.of(ready(readyNode, where + ".ready", endpoints, debug.isPresent()));
    String path = env.containsKey("PATH") ? env.get("PATH") : environment.get("PATH");
    Optional<String> problem = Programs.problem(command.get(0), dir, path);
    if (problem.isPresent()) {
      throw nodes.error(programNode, where + ".command: " + problem.get());
    }
    return new Draft(name, keyNode, command, dir, env, endpoints, dependsOn, refs, ready, restart,
        instances, lease, debug);
  }

  private List<String> command(Node v, String at) {
    if (v instanceof ScalarNode) {
      return List.of("sh", "-c", nodes.nonEmpty(v, at, COMMAND_SHAPE));
    }
    List<Node> items = nodes.list(v, at, COMMAND_SHAPE);
    if (items.isEmpty()) {
      throw nodes.error(v, at + ": an empty list (expected: " + COMMAND_SHAPE + ")");
    }
    List<String> argv = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String item = nodes.text(items.get(i), at + "[" + i + "]", "a string");
      if (i == 0 && item.isBlank()) {
        throw nodes.error(items.get(i), at + "[0]: empty (expected: the program to run)");
      }
      argv.add(item);
    }
    return argv;
  }

  private Path dir(Node v, String at) {
    String text = nodes.nonEmpty(v, at, "a directory, relative to " + stackDir);
    Path dir;
    try {
      dir = stackDir.resolve(text).normalize();
    } catch (InvalidPathException e) {
      throw nodes.error(v, at + ": '" + YamlNodes.shown(text) + "' (expected: a directory, relative to "
          + stackDir + ")");
    }
    if (!Files.isDirectory(dir)) {
      throw nodes.error(v, at + ": '" + YamlNodes.shown(text) + "' is not a directory: " + dir
          + (Files.exists(dir) ? " is a file" : " does not exist")
          + " (expected: a directory, relative to " + stackDir + ")");
    }
    return dir;
  }

  private Map<String, String> env(Node v, String at, String self, List<EnvRef> refs) {
    Map<String, String> env = new LinkedHashMap<>();
    for (YamlNodes.Entry e : nodes.map(v, at, "a map of variable name to value")) {
      if (!ENV_NAME.matcher(e.key()).matches()) {
        throw nodes.error(e.keyNode(), at + ": '" + YamlNodes.shown(e.key())
            + "' is not a variable name (expected: letters, digits and '_', not starting with a digit)");
      }
      if (isSetByBerth(e.key())) {
        throw nodes.error(e.keyNode(), at + ": '" + e.key() + "' is set by Berth for every process"
            + " (expected: another name; read " + e.key() + " in the program instead)");
      }
      String var = at + "." + e.key();
      String value = nodes.text(e.value(), var,
          "a string, number or boolean; write '' for an empty value");
      List<EnvTemplate.Ref> found;
      try {
        found = EnvTemplate.references(value);
      } catch (IllegalArgumentException bad) {
        throw nodes.error(e.value(), var + ": " + bad.getMessage());
      }
      for (EnvTemplate.Ref ref : found) {
        if (ref.service().equals(self)) {
          throw nodes.error(e.value(), var + ": '" + ref.text() + "' names the service itself"
              + " (expected: another service; its own port is $PORT, or $BERTH_PORT_<ENDPOINT>)");
        }
        refs.add(new EnvRef(e.key(), ref, e.value()));
      }
      env.put(e.key(), value);
    }
    return env;
  }

  private List<String> endpoints(Node v, String at) {
    String expected = "a list of endpoint names, e.g. [main, admin]";
    List<Node> items = nodes.list(v, at, expected);
    if (items.isEmpty()) {
      throw nodes.error(v, at + ": an empty list (expected: " + expected + "; leave it out for [main])");
    }
    List<String> names = new ArrayList<>();
    for (Node item : items) {
      String name = nodes.text(item, at, "an endpoint name, " + DnsLabel.RULE);
      if (!DnsLabel.isLabel(name)) {
        throw nodes.error(item, at + ": bad endpoint name '" + YamlNodes.shown(name) + "' (expected: "
            + DnsLabel.RULE + ")");
      }
      if (names.contains(name)) {
        throw nodes.error(item, at + ": duplicate endpoint '" + name + "' (keep one)");
      }
      names.add(name);
    }
    return names;
  }

  private List<Dependency> dependsOn(Node v, String at) {
    List<Dependency> deps = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Node item : nodes.list(v, at, "a list of service names, e.g. [orders, catalog]")) {
      String name = nodes.text(item, at, "a service name");
      if (!DnsLabel.isLabel(name)) {
        throw nodes.error(item, at + ": bad service name '" + YamlNodes.shown(name) + "' (expected: "
            + DnsLabel.RULE + ")");
      }
      if (!seen.add(name)) {
        throw nodes.error(item, at + ": duplicate '" + name + "' (keep one)");
      }
      deps.add(new Dependency(name, item));
    }
    return deps;
  }

  private ReadyCheck ready(Node v, String at, List<String> endpoints, boolean debug) {
    String shape = "{http: /path} or {tcp: true}, with optional endpoint: and timeout:";
    ReadyCheck.Kind kind = null;
    String path = "";
    String endpoint = endpoints.get(0);
    Duration timeout = DEFAULT_READY_TIMEOUT;
    for (YamlNodes.Entry e : nodes.map(v, at, shape)) {
      String key = at + "." + e.key();
      switch (e.key()) {
        case "http", "tcp" -> {
          if (kind != null) {
            throw nodes.error(e.keyNode(), at + ": both http and tcp (expected: one of them)");
          }
          if (e.key().equals("http")) {
            kind = ReadyCheck.Kind.HTTP;
            path = nodes.nonEmpty(e.value(), key, "a path such as /health");
            if (!path.startsWith("/")) {
              throw nodes.error(e.value(), key + ": '" + YamlNodes.shown(path)
                  + "' (expected: a path such as /health, starting with '/')");
            }
          } else {
            kind = ReadyCheck.Kind.TCP;
            if (!nodes.isTrue(e.value())) {
              throw nodes.error(e.value(), key + ": " + YamlNodes.describe(e.value())
                  + " (expected: true; leave ready out for no check)");
            }
          }
        }
        case "endpoint" -> {
          endpoint = nodes.text(e.value(), key, "an endpoint of this service");
          if (debug && endpoint.equals(DebugRuntime.ENDPOINT)) {
            throw nodes.error(e.value(), key + ": 'debug' is the debugger's port, which nothing but a"
                + " debugger may connect to (a JDWP agent logs \"handshake failed\" for any other connect)"
                + " (expected: one of " + String.join(", ", endpoints) + ")");
          }
          if (!endpoints.contains(endpoint)) {
            throw nodes.error(e.value(), key + ": '" + YamlNodes.shown(endpoint)
                + "' is not an endpoint of this service (expected: one of " + String.join(", ", endpoints)
                + ")");
          }
        }
        case "timeout" -> timeout = RestartReader.duration(nodes, e.value(), key, false);
        default -> throw nodes.error(e.keyNode(), StackKeys.unknown(at, e.key(), StackKeys.READY));
      }
    }
    if (kind == null) {
      throw nodes.error(v, at + ": neither http nor tcp (expected: " + shape + ")");
    }
    return new ReadyCheck(kind, endpoint, path, timeout);
  }

  private LeaseMode lease(Node v, String at) {
    String text = nodes.text(v, at, "runner or self");
    return switch (text) {
      case "runner" -> LeaseMode.RUNNER;
      case "self" -> LeaseMode.SELF;
      default -> throw nodes.error(v, at + ": '" + YamlNodes.shown(text) + "' (expected: runner, Berth"
          + " holds the lease and the program binds $PORT; or self, the program joins Berth with the"
          + " library)");
    };
  }
}
