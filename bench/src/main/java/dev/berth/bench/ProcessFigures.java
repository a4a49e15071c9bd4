package dev.berth.bench;

import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.BerthWatch;
import dev.berth.local.LatencySamples;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What another process sees: an instance attaching in a child JVM becoming visible to this
 * process's watcher, and a serving child killed with SIGKILL vanishing from it.
 */
final class ProcessFigures {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** One snapshot as the watcher saw it, stamped on arrival. */
  private record Seen(long nanos, List<Address> addresses) {}

  private ProcessFigures() {}

  static void run(Berth berth, Path home, Scale scale, ResultTable table) throws Exception {
    attachToVisible(berth, home, scale, table);
    killToNotice(berth, home, scale, table);
  }

  private static void attachToVisible(Berth berth, Path home, Scale scale, ResultTable table)
      throws Exception {
    LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    try (Children children = new Children();
        BerthWatch watch = berth.watch("bench-attach",
            addresses -> seen.add(new Seen(System.nanoTime(), List.copyOf(addresses))))) {
      Children.Child child = children.benchChild("attach", home.toString(), "bench-attach");
      child.awaitLine("waiting", WAIT);
      // the first attach of a fresh process runs cold (interpreted) code in the child and,
      // for this path, in the registry: reported on its own row, not mixed into the warm figure
      long cold = attachOnce(child, seen);
      child.send("warm " + scale.attachWarmup());
      child.awaitLine("warmed", Duration.ofMinutes(2));
      // the warm-up's last snapshots may still be on their way: wait for quiet
      while (seen.poll(200, TimeUnit.MILLISECONDS) != null) {
        // drop it
      }
      LatencySamples samples = new LatencySamples(scale.attaches());
      for (int i = 0; i < scale.attaches(); i++) {
        samples.add(attachOnce(child, seen));
      }
      table.add(new Row("attach in another process → visible to a watcher, cold (first attach of a fresh JVM)",
          Units.nanos(cold), "", "", "", null, Map.of("value_ns", (double) cold)));
      table.add(new Row("attach in another process → visible to a watcher", Units.latency(samples),
          "", "", "p50 ≤ 1.2 ms", samples.p50() <= 1_200_000,
          Map.of("p50_ns", samples.p50(), "p99_ns", samples.p99(), "count", (double) samples.count())));
    }
  }

  /** One attach in the child: nanoseconds from its start until this process's watcher sees it. */
  private static long attachOnce(Children.Child child, LinkedBlockingQueue<Seen> seen) throws Exception {
    seen.clear();
    child.send("go");
    long t0 = Long.parseLong(child.awaitLine("t0 ", WAIT).substring(3));
    Seen visible = awaitSize(seen, 1);
    child.send("close");
    child.awaitLine("closed", WAIT);
    awaitSize(seen, 0);
    return visible.nanos() - t0;
  }

  private static void killToNotice(Berth berth, Path home, Scale scale, ResultTable table)
      throws Exception {
    LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    LatencySamples samples = new LatencySamples(scale.kills());
    try (BerthWatch watch = berth.watch("bench-victim",
        addresses -> seen.add(new Seen(System.nanoTime(), List.copyOf(addresses))))) {
      for (int i = 0; i < scale.kills(); i++) {
        try (Children children = new Children()) {
          Children.Child child = children.benchChild("serve", home.toString(), "bench-victim");
          child.awaitLine("ready ", WAIT);
          awaitSize(seen, 1);
          seen.clear();
          long t0 = System.nanoTime();
          child.process.destroyForcibly();
          Seen gone = awaitSize(seen, 0);
          samples.add(gone.nanos() - t0);
          child.process.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
    table.add(new Row("kill -9 of a serving process → watcher has the snapshot without it",
        Units.latency(samples), "", "", "p50 ≤ 10 ms, p99 ≤ 25 ms",
        samples.p50() <= 10_000_000 && samples.p99() <= 25_000_000,
        Map.of("p50_ns", samples.p50(), "p99_ns", samples.p99(), "count", (double) samples.count())));
  }

  /** The first snapshot of {@code size} addresses, skipping others; fails after {@link #WAIT}. */
  private static Seen awaitSize(LinkedBlockingQueue<Seen> seen, int size) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Seen s = seen.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (s == null) {
        throw new IllegalStateException("the watcher saw no snapshot of " + size + " instance(s) within " + WAIT);
      }
      if (s.addresses().size() == size) {
        return s;
      }
    }
  }
}
