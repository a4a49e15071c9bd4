package dev.berth.cli.internal;

import com.google.protobuf.Timestamp;
import dev.berth.local.internal.JsonText;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth ps}: the processes of a stack, from its running supervisor (through its control
 * socket), else from the {@code stack.json} it last wrote; a stack that is not up, or whose
 * supervisor is gone, is one line saying so and how to start it.
 */
@Command(name = "ps", mixinStandardHelpOptions = true,
    description = {"Show the processes of the stack: service, instance, state, pid, address, "
        + "restarts, uptime.",
        "The stack is -f FILE's, else the one of the berth.yaml or Procfile in this directory or above."})
public final class PsCommand extends BaseCommand {

  /** How long a running supervisor may take to answer; then stack.json is shown. */
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The stack's berth.yaml or Procfile.")
  Path file;

  @Option(names = "--json", description = "One JSON object a process, in an array.")
  boolean json;

  @Override
  public Integer call() {
    CliContext ctx = ctx();
    StackTarget stack = StackTarget.of(spec, ctx, file);
    PrintWriter out = ctx.out();
    StackState state = stack.lastState().orElse(null);
    if (state == null || !StackTarget.supervisorRuns(state)) {
      out.println(state == null ? stack.notUp() : stack.notRunning(state));
      out.flush();
      return 0;
    }
    try {
      state = stack.control(ASK_TIMEOUT).status(); // fresher than the file, which it also wrote
    } catch (IllegalStateException e) {
      // busy or just exiting: the file it last wrote says as much
    }
    if (json) {
      json(state.getProcessesList(), out);
    } else {
      table(state.getProcessesList(), out, Instant.now());
    }
    out.flush();
    return 0;
  }

  static void table(List<StackProcess> processes, PrintWriter out, Instant now) {
    boolean details = processes.stream().anyMatch(p -> !p.getDetail().isEmpty());
    // only for a stack with debug: in its file, so every other stack's table stays as it was
    boolean debug = processes.stream().anyMatch(p -> p.containsPorts(DebugRuntime.ENDPOINT));
    List<String> header = new ArrayList<>(List.of("SERVICE", "INSTANCE", "STATE", "PID", "ADDRESS"));
    if (debug) {
      header.add("DEBUG");
    }
    header.addAll(List.of("RESTARTS", "UPTIME"));
    if (details) {
      header.add("DETAIL");
    }
    TextTable table = new TextTable(header.toArray(String[]::new));
    for (StackProcess p : processes) {
      List<Object> row = new ArrayList<>(List.of(p.getService(), p.getInstance(), p.getState(),
          p.getPid() == 0 ? "-" : p.getPid(), address(p)));
      if (debug) {
        row.add(p.containsPorts(DebugRuntime.ENDPOINT)
            ? "127.0.0.1:" + p.getPortsOrThrow(DebugRuntime.ENDPOINT) : "-");
      }
      row.addAll(List.of(p.getRestarts(), running(p) ? InstanceRow.uptime(instant(p.getSince()), now) : "-"));
      if (details) {
        row.add(p.getDetail().isEmpty() ? "" : OneLine.of(p.getDetail()));
      }
      table.row(row.toArray());
    }
    table.print(out, "");
  }

  static void json(List<StackProcess> processes, PrintWriter out) {
    out.println("[");
    for (int i = 0; i < processes.size(); i++) {
      StackProcess p = processes.get(i);
      StringBuilder ports = new StringBuilder("{");
      for (Map.Entry<String, Integer> e : ports(p)) {
        ports.append(ports.length() > 1 ? ", " : "").append(JsonText.quote(e.getKey())).append(": ")
            .append(e.getValue());
      }
      out.print("  {\"service\": " + JsonText.quote(p.getService())
          + ", \"instance\": " + p.getInstance()
          + ", \"state\": " + JsonText.quote(p.getState())
          + ", \"pid\": " + p.getPid()
          + ", \"address\": " + (address(p).equals("-") ? "null" : JsonText.quote(address(p)))
          + ", \"ports\": " + ports.append("}")
          + ", \"restarts\": " + p.getRestarts()
          + ", \"since\": " + (p.hasSince() ? JsonText.quote(instant(p.getSince()).toString()) : "null")
          + ", \"lastExit\": " + p.getLastExit()
          + ", \"lastSignal\": " + p.getLastSignal()
          + ", \"detail\": " + JsonText.quote(p.getDetail())
          + "}");
      out.println(i < processes.size() - 1 ? "," : "");
    }
    out.println("]");
  }

  /** Uptime counts while a process runs: from when it started or went live. */
  private static boolean running(StackProcess p) {
    return p.getPid() != 0 && p.hasSince()
        && (p.getState().equals("live") || p.getState().equals("starting"));
  }

  /**
   * {@code 127.0.0.1:61001} for a process of one endpoint; {@code http=127.0.0.1:61002
   * metrics=127.0.0.1:61006} for several, {@code main} first; {@code -} before it has a berth. A
   * debugger's {@code debug} endpoint is not among them: it has a column of its own.
   */
  static String address(StackProcess p) {
    List<Map.Entry<String, Integer>> endpoints = ports(p);
    endpoints.removeIf(e -> e.getKey().equals(DebugRuntime.ENDPOINT));
    if (endpoints.isEmpty()) {
      return "-";
    }
    if (endpoints.size() == 1) {
      return "127.0.0.1:" + endpoints.get(0).getValue();
    }
    StringBuilder all = new StringBuilder();
    for (Map.Entry<String, Integer> e : endpoints) {
      all.append(all.length() == 0 ? "" : " ").append(e.getKey()).append("=127.0.0.1:").append(e.getValue());
    }
    return all.toString();
  }

  /** Every endpoint's port, {@code main} first, {@code debug} last, the rest by name. */
  private static List<Map.Entry<String, Integer>> ports(StackProcess p) {
    List<Map.Entry<String, Integer>> endpoints = new ArrayList<>(p.getPortsMap().entrySet());
    endpoints.sort(Map.Entry.comparingByKey(java.util.Comparator.comparingInt(PsCommand::rank)
        .thenComparing(java.util.Comparator.naturalOrder())));
    return endpoints;
  }

  /** {@code main} first, a debugger's {@code debug} (berth.yaml {@code debug:}) last, the rest between. */
  private static int rank(String endpoint) {
    return endpoint.equals("main") ? 0 : endpoint.equals(DebugRuntime.ENDPOINT) ? 2 : 1;
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
