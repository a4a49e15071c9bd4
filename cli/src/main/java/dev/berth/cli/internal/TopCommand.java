package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.local.internal.CallEdges;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code berth top [--once]}: per-edge call rates, errors and latency, every second. */
@Command(name = "top", mixinStandardHelpOptions = true,
    description = {"Show calls between services, one row per edge: CALLER CALLEE METHOD CALLS/S "
        + "ERR%% P50 P99, refreshed every interval until Ctrl-C.",
        "Reads the metrics endpoint of every live instance (berth.client.call.duration); P50 and "
            + "P99 come from its histogram buckets, over the interval (over all calls when an "
            + "edge was idle)."})
public final class TopCommand extends BaseCommand {

  private static final String CLEAR = "\033[H\033[2J";

  @Option(names = "--once", description = "Print one table after one interval and exit.")
  boolean once;

  @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
      description = "Seconds between scrapes (default: ${DEFAULT-VALUE}).")
  double interval;

  @Override
  public Integer call() throws Exception {
    if (!(interval >= 0.1 && interval <= 3600)) {
      throw new ParameterException(spec.commandLine(),
          "--interval: " + interval + " (expected: 0.1..3600 seconds)");
    }
    CliContext ctx = ctx();
    PrintWriter out = ctx.out();
    Duration step = Duration.ofMillis((long) (interval * 1000));
    try (Berth berth = ctx.connect()) {
      CallTop top = new CallTop(berth);
      if (once) {
        CallTop.print(top.measure(step), out, "");
        return 0;
      }
      long t0 = System.nanoTime();
      CallEdges earlier = top.scrape();
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(step.toMillis());
        long t1 = System.nanoTime();
        CallEdges now;
        try {
          now = top.scrape();
        } catch (io.grpc.StatusRuntimeException e) {
          // the registry restarts: say so and keep watching, as top does
          out.print(CLEAR);
          out.println("berth top: the registry does not answer (" + e.getStatus().getCode()
              + "); trying again every " + interval + " s (Ctrl-C to quit)");
          out.flush();
          continue;
        }
        out.print(CLEAR);
        out.println("berth top: calls per edge over the last " + interval + " s (Ctrl-C to quit)");
        CallTop.print(now.since(earlier, (t1 - t0) / 1e9), out, "");
        earlier = now;
        t0 = t1;
      }
    }
    return 0;
  }
}
