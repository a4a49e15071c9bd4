package dev.berth.cli.internal;

import dev.berth.cli.internal.stack.ConsoleOutput;
import dev.berth.cli.internal.stack.LogFiles;
import dev.berth.cli.internal.stack.LogReader;
import dev.berth.cli.internal.stack.LogRecord;
import dev.berth.cli.internal.stack.LogSince;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth logs}: what a stack's processes printed, from its log files ({@link LogFiles}),
 * every service merged by time or one, with the prefixes {@code berth up} prints; {@code -f}
 * follows them as they grow, across rotations, until Ctrl-C.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = {"Show what the stack's processes printed (<state dir>/stacks/<namespace>/logs/), "
        + "every service merged by time, or one.",
        "The stack is --file FILE's, else the one of the berth.yaml or Procfile in this directory or above."})
public final class LogsCommand extends BaseCommand {

  private static final Duration POLL = Duration.ofMillis(200);

  @Parameters(arity = "0..1", paramLabel = "SERVICE", description = "Only this service's lines.")
  String service;

  @Option(names = {"-f", "--follow"}, description = "Keep printing lines as they are written, until Ctrl-C.")
  boolean follow;

  @Option(names = "--since", paramLabel = "DURATION|TIME",
      description = "Only lines from then on: 10m, 90s, 2h, or 2026-12-02T04:00:00Z.")
  String since;

  @Option(names = {"-t", "--timestamps"}, description = "Each line after the time it was written (UTC).")
  boolean timestamps;

  @Option(names = "--file", paramLabel = "FILE", description = "The stack's berth.yaml or Procfile.")
  Path file;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Optional<Instant> from = since == null ? Optional.empty()
        : Optional.of(LogSince.parse(since, Instant.now()));
    CliContext ctx = ctx();
    StackTarget stack = StackTarget.of(spec, ctx, file);
    Path dir = LogFiles.dirOf(stack.dir());
    Optional<StackState> state = stack.lastState();
    List<String> logged = LogReader.services(dir);
    if (service != null && !logged.contains(service) && !inStack(state, service)) {
      throw new IllegalArgumentException("service '" + service + "': no log in " + dir + " (expected: "
          + (logged.isEmpty() ? "a service of stack " + stack.namespace()
              : "one of " + String.join(", ", logged)) + ")");
    }
    if (logged.isEmpty() && !follow) {
      ctx.out().println("no logs of stack " + stack.namespace() + " yet (" + dir
          + "): 'berth up' writes them");
      ctx.out().flush();
      return 0;
    }

    LogReader reader = LogReader.of(dir, Optional.ofNullable(service), from);
    PrintWriter out = ctx.out();
    if (!follow) {
      List<LogRecord> records = reader.read();
      Consumer<LogRecord> print = printer(out, instances(state, records, logged));
      records.forEach(print);
      out.flush();
      return 0;
    }
    Consumer<LogRecord> print = printer(out, instances(state, reader.read(), logged));
    reader = LogReader.of(dir, Optional.ofNullable(service), from);
    reader.follow(r -> {
      print.accept(r);
      out.flush();
    }, () -> !Thread.currentThread().isInterrupted(), POLL);
    return 0;
  }

  private static boolean inStack(Optional<StackState> state, String service) {
    return state.stream().flatMap(s -> s.getProcessesList().stream())
        .anyMatch(p -> p.getService().equals(service));
  }

  private Consumer<LogRecord> printer(PrintWriter out, Map<String, Integer> instances) {
    ConsoleOutput console = ConsoleOutput.of(System.out, instances, ConsoleOutput.colourWanted());
    return r -> out.println((timestamps ? r.time() + " " : "")
        + console.render(r.service(), r.instance(), r.kind() == LogRecord.Kind.BERTH, r.text()));
  }

  /**
   * Service → instances, for the prefixes' width and {@code .N}: the stack's as its supervisor
   * last wrote them, in its order, then those only the logs know of.
   */
  private static Map<String, Integer> instances(Optional<StackState> state, List<LogRecord> records,
      List<String> logged) {
    Map<String, Integer> instances = new LinkedHashMap<>();
    state.ifPresent(s -> {
      for (StackProcess p : s.getProcessesList()) {
        instances.merge(p.getService(), p.getInstance(), Math::max);
      }
    });
    for (String name : logged) {
      instances.putIfAbsent(name, 1);
    }
    for (LogRecord r : records) {
      instances.merge(r.service(), r.instance(), Math::max);
    }
    return instances;
  }
}
