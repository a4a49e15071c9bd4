package dev.berth.cli.internal;

import dev.berth.client.Address;
import dev.berth.local.DnsLabel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The endpoints one {@code berth run} leases, in order: the one {@code NAME/ENDPOINT} names
 * (or, with neither it nor {@code --endpoint}, {@code main}), then each {@code --endpoint}, then
 * {@link DebugRuntime#ENDPOINT} for {@code --debug}. The first is the one {@code $PORT} and
 * {@code --port} mean. Immutable.
 */
final class RunEndpoints {

  final List<String> names;
  /** The agent {@code --debug} starts on the {@code debug} endpoint; empty without it. */
  final Optional<DebugRuntime> debug;

  private RunEndpoints(List<String> names, Optional<DebugRuntime> debug) {
    this.names = List.copyOf(names);
    this.debug = debug;
  }

  /**
   * The endpoints of {@code target} plus {@code more} plus, with {@code debug}, the debugger's.
   *
   * @throws IllegalArgumentException one line naming the endpoint given twice, or an explicit
   *     {@code debug} endpoint next to {@code --debug}, and the fix
   */
  static RunEndpoints of(ServiceTarget target, List<String> more, Optional<DebugRuntime> debug) {
    List<String> names = new ArrayList<>();
    if (target.endpointNamed || more.isEmpty()) {
      names.add(target.endpoint);
    }
    for (String endpoint : more) {
      if (names.contains(endpoint)) {
        throw new IllegalArgumentException("--endpoint: '" + endpoint + "' is given twice"
            + (endpoint.equals(target.endpoint) && target.endpointNamed ? " (by " + target + " too)" : "")
            + " (expected: each endpoint once)");
      }
      names.add(endpoint);
    }
    if (debug.isPresent()) {
      if (names.contains(DebugRuntime.ENDPOINT)) {
        throw new IllegalArgumentException("--debug: adds the endpoint '" + DebugRuntime.ENDPOINT
            + "' itself (expected: --debug without a '" + DebugRuntime.ENDPOINT + "' endpoint of "
            + "your own, or that endpoint without --debug for an agent you start on $"
            + ChildEnv.portVariable(DebugRuntime.ENDPOINT) + ")");
      }
      names.add(DebugRuntime.ENDPOINT);
    }
    return new RunEndpoints(names, debug);
  }

  /**
   * Refuses a {@code command} that starts a debugger agent of its own when {@code --debug} starts
   * one: on its command line or in a variable of {@code env} (the environment the child gets).
   *
   * @throws IllegalArgumentException one line naming the option found and the fix
   */
  void refuseAgentOfTheCommand(List<String> command, Map<String, String> env) {
    debug.flatMap(r -> r.agentAlready(command, env)).ifPresent(found -> {
      throw new IllegalArgumentException("--debug: the command already starts a debugger: " + found
          + " (expected: remove it, or run without --debug to keep your own)");
    });
  }

  /** The endpoint {@code $PORT} and {@code --port} mean. */
  String first() {
    return names.get(0);
  }

  /** {@code $PORT} for the first, {@code $BERTH_PORT_ADMIN} for {@code admin}. */
  String variable(String endpoint) {
    return endpoint.equals(first()) ? "$PORT" : "$" + ChildEnv.portVariable(endpoint);
  }

  /** "port 7001 ($PORT), port 7002 ($BERTH_PORT_ADMIN) and port 7003 (the debugger's)". */
  String describe(Map<String, Integer> ports) {
    List<String> parts = new ArrayList<>();
    for (String endpoint : names) {
      parts.add("port " + ports.get(endpoint) + " ("
          + (isDebugger(endpoint) ? "the debugger's" : variable(endpoint)) + ")");
    }
    return join(parts);
  }

  /** "127.0.0.1:7001, admin on 127.0.0.1:7002, debugger on 127.0.0.1:7003": the live line's end. */
  String live(Map<String, Address> addresses) {
    StringBuilder line = new StringBuilder(String.valueOf(addresses.get(first())));
    for (String endpoint : names.subList(1, names.size())) {
      line.append(", ").append(isDebugger(endpoint) ? "debugger" : endpoint).append(" on ")
          .append(addresses.get(endpoint));
    }
    return line.toString();
  }

  /** What to check when {@code endpoint} was not listened on in time. */
  String hint(String endpoint) {
    if (isDebugger(endpoint)) {
      DebugRuntime runtime = debug.orElseThrow();
      return "does the command start " + runtime.word() + " itself, with $" + runtime.variable()
          + " passed on?";
    }
    return "does it use " + variable(endpoint) + "?";
  }

  private boolean isDebugger(String endpoint) {
    return debug.isPresent() && endpoint.equals(DebugRuntime.ENDPOINT);
  }

  private static String join(List<String> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
  }

  /** {@code --endpoint NAME}: a DNS label, or a usage error in our own words. */
  static final class Converter implements CommandLine.ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!DnsLabel.isLabel(value)) {
        throw new ServiceTarget.Refused("--endpoint: '" + value + "' (expected: " + DnsLabel.RULE + ")");
      }
      return value;
    }
  }

  /** {@code --debug-runtime java|node}. */
  static final class RuntimeConverter implements CommandLine.ITypeConverter<DebugRuntime> {
    @Override
    public DebugRuntime convert(String value) {
      return DebugRuntime.ofWord(value).orElseThrow(() -> new ServiceTarget.Refused(
          "--debug-runtime: '" + value + "' (expected: java or node)"));
    }
  }
}
