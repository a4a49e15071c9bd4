package dev.berth.bench;

import dev.berth.bench.etcd.mvccpb.Event;
import dev.berth.local.LatencySamples;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What another process sees through etcd, the baselines of {@link ProcessFigures}: a key put
 * with a fresh lease by a child JVM reaching this process's watcher, and the key of a child
 * killed with SIGKILL deleted when its lease expires.
 */
final class EtcdWatchFigures {
  private static final Duration WAIT = EtcdFigures.WAIT;
  private static final String PREFIX = "bench-watch/";

  private EtcdWatchFigures() {}

  static void run(EtcdProcess server, EtcdScale scale, List<EtcdFigure> figures) throws Exception {
    try (EtcdClient client = new EtcdClient(server.clientPort());
        EtcdWatch watch = EtcdWatch.onPrefix(client, PREFIX, WAIT)) {
      putToVisible(server, watch, scale, figures);
      killToDelete(server, watch, scale, figures);
    }
  }

  /**
   * Lease grant + put in a child JVM until the watcher here has the PUT event, after a warm-up
   * of the child.
   */
  private static void putToVisible(EtcdProcess server, EtcdWatch watch, EtcdScale scale, List<EtcdFigure> figures)
      throws Exception {
    String key = PREFIX + "attach";
    try (Children children = new Children()) {
      Children.Child child = children.etcdChild("attach", Integer.toString(server.clientPort()), key);
      child.awaitLine("waiting", WAIT);
      child.send("warm " + scale.attachWarmup());
      child.awaitLine("warmed", Duration.ofMinutes(2));
      Thread.sleep(200);
      LatencySamples samples = new LatencySamples(scale.attaches());
      for (int i = 0; i < scale.attaches(); i++) {
        watch.clear();
        child.send("go");
        long t0 = Long.parseLong(child.awaitLine("t0 ", WAIT).substring(3));
        EtcdWatch.Seen put = watch.await(Event.EventType.PUT, key, WAIT);
        samples.add(put.nanos() - t0);
        child.send("close");
        child.awaitLine("closed", WAIT);
        watch.await(Event.EventType.DELETE, key, WAIT);
      }
      figures.add(new EtcdFigure("attach in another process → visible to a watcher",
          "lease grant + put → watch event: " + Units.latency(samples),
          Map.of("p50_ns", samples.p50(), "p99_ns", samples.p99(), "count", (double) samples.count()),
          List.of("p50_ns")));
    }
  }

  /**
   * SIGKILL of a child JVM that holds a key on a lease of etcd's minimum TTL, kept alive, until
   * the watcher here has the key's DELETE event (etcd deletes it when the lease expires). The
   * next child starts while the previous one's lease runs out, or each sample would also wait
   * for a JVM start; that start shares the CPU with etcd for its first ~0.5 s of a ~2 s wait.
   */
  private static void killToDelete(EtcdProcess server, EtcdWatch watch, EtcdScale scale, List<EtcdFigure> figures)
      throws Exception {
    String port = Integer.toString(server.clientPort());
    LatencySamples samples = new LatencySamples(scale.kills());
    long ttl = 0;
    try (Children children = new Children()) {
      Children.Child next = children.etcdChild("hold", port, PREFIX + "victim-0");
      for (int i = 0; i < scale.kills(); i++) {
        String key = PREFIX + "victim-" + i;
        Children.Child victim = next;
        // "ready" comes after the put returned: the key is in etcd, on a lease kept alive
        ttl = Long.parseLong(victim.awaitLine("ready ", WAIT).substring(6));
        watch.clear();
        long t0 = System.nanoTime();
        victim.process.destroyForcibly();
        if (i + 1 < scale.kills()) {
          next = children.etcdChild("hold", port, PREFIX + "victim-" + (i + 1));
        }
        EtcdWatch.Seen gone = watch.await(Event.EventType.DELETE, key, WAIT);
        samples.add(gone.nanos() - t0);
      }
    }
    figures.add(new EtcdFigure("kill -9 of a serving process → watcher",
        "lease expiry (TTL " + ttl + " s, etcd's minimum) after kill -9 → watch delete: " + Units.latency(samples),
        Map.of("p50_ns", samples.p50(), "p99_ns", samples.p99(), "count", (double) samples.count(), "ttl_s", (double) ttl),
        List.of("p50_ns", "p99_ns")));
  }
}
