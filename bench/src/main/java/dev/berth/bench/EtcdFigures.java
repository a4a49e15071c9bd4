package dev.berth.bench;

import dev.berth.bench.etcd.etcdserverpb.LeaseKeepAliveRequest;
import dev.berth.bench.etcd.etcdserverpb.LeaseKeepAliveResponse;
import dev.berth.bench.etcd.etcdserverpb.RangeRequest;
import dev.berth.local.LatencySamples;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * etcd's side of the table: the same figures as Berth's rows, measured on a single-member
 * etcd ({@link EtcdProcess}) through the same client stack (grpc-java, {@link EtcdClient}),
 * each returned as the baseline of the Berth row it answers ({@link EtcdFigure#berthPrefix}).
 * The counts and durations are Berth's rows' own, except where {@link EtcdScale} says.
 */
final class EtcdFigures {
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final int CLIENTS = 8;
  private static final String KEY = "bench/web";
  private static final String PREFIX = "bench/";
  private static final int LISTED = 10;

  private EtcdFigures() {}

  static List<EtcdFigure> run(EtcdInstall etcd, EtcdScale scale, PrintStream out) throws Exception {
    List<EtcdFigure> figures = new ArrayList<>();
    out.println("etcd " + etcd.version() + ": etcdctl get and Range…");
    try (EtcdProcess server = EtcdProcess.start(etcd)) {
      server.awaitListening(WAIT);
      try (EtcdClient client = new EtcdClient(server.clientPort())) {
        firstAnswer(client);
        client.put(KEY, "127.0.0.1:8080", 0);
        for (int i = 0; i < LISTED - 1; i++) {
          client.put(PREFIX + "svc-" + i, "127.0.0.1:" + (40_000 + i), 0);
        }
        wall(etcd, server, scale, figures);
        ranges(server, client, scale, figures);
        out.println("etcd: put → watch event, and lease expiry after kill -9…");
        EtcdWatchFigures.run(server, scale, figures);
      }
    }
    out.println("etcd: start and memory…");
    starts(etcd, scale, figures);
    memory(etcd, scale, figures);
    return figures;
  }

  /** {@code etcdctl get KEY} and {@code etcdctl get --prefix PREFIX}, start to exit. */
  private static void wall(EtcdInstall etcd, EtcdProcess server, EtcdScale scale, List<EtcdFigure> figures)
      throws Exception {
    int runs = scale.walls();
    LatencySamples get = walls(etcd, server, runs, "get", KEY);
    figures.add(new EtcdFigure("berth resolve NAME, wall", "etcdctl get KEY: " + Units.latency(get),
        Map.of("p50_ns", get.p50(), "p99_ns", get.p99(), "count", (double) get.count()),
        List.of("p50_ns", "p99_ns")));
    LatencySamples ls = walls(etcd, server, runs, "get", "--prefix", PREFIX);
    figures.add(new EtcdFigure("berth ls, wall", "etcdctl get --prefix (" + LISTED + " keys): " + Units.latency(ls),
        Map.of("p50_ns", ls.p50(), "p99_ns", ls.p99(), "count", (double) ls.count()),
        List.of("p50_ns")));
  }

  private static LatencySamples walls(EtcdInstall etcd, EtcdProcess server, int runs, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(etcd.etcdctl().toString(), "--endpoints=" + server.endpoint()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    EtcdProcess.withoutEtcdEnvironment(builder.environment());
    // one untimed run, read: the binary in the page cache, and proof that the command works
    Process first = builder.start();
    String output = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (first.waitFor() != 0 || !output.contains(KEY)) {
      throw new IllegalStateException(command + " printed: " + output.strip());
    }
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    LatencySamples samples = new LatencySamples(runs);
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      int exit = builder.start().waitFor();
      samples.add(System.nanoTime() - t0);
      if (exit != 0) {
        throw new IllegalStateException(command + " exited " + exit);
      }
    }
    return samples;
  }

  /** A one-key Range from one client (latency), then from 8 with a connection each (throughput). */
  private static void ranges(EtcdProcess server, EtcdClient client, EtcdScale scale, List<EtcdFigure> figures)
      throws Exception {
    RangeRequest request = RangeRequest.newBuilder().setKey(EtcdClient.bytes(KEY)).build();
    int n = scale.ranges();
    for (int i = 0; i < scale.rangeWarmup(); i++) {
      client.kv().range(request);
    }
    LatencySamples samples = new LatencySamples(n);
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      client.kv().range(request);
      samples.add(System.nanoTime() - t0);
    }
    figures.add(new EtcdFigure("Resolve RPC, 1 client", "Range of one key: " + Units.latency(samples),
        Map.of("p50_ns", samples.p50(), "p99_ns", samples.p99(), "count", (double) samples.count()),
        List.of("p50_ns")));

    List<EtcdClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        EtcdClient c = new EtcdClient(server.clientPort());
        clients.add(c);
        // this JVM's client code is warm from the run above: the connection only
        for (int j = 0; j < 100; j++) {
          c.kv().range(request);
        }
      }
      AtomicLong total = new AtomicLong();
      long cpu0 = server.cpuNanos();
      long start = System.nanoTime();
      long end = start + scale.throughputMillis() * 1_000_000;
      List<Thread> threads = new ArrayList<>();
      for (EtcdClient c : clients) {
        Thread t = new Thread(() -> {
          long calls = 0;
          while (System.nanoTime() < end) {
            c.kv().range(request);
            calls++;
          }
          total.addAndGet(calls);
        }, "bench-etcd-range-client");
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(scale.throughputMillis() + 30_000);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double etcdMicros = (server.cpuNanos() - cpu0) / (double) total.get() / 1e3;
      double perSecond = total.get() / seconds;
      figures.add(new EtcdFigure("Resolve RPC, " + CLIENTS + " clients",
          String.format(Locale.ROOT, "Range, %d clients: %,.0f /s (etcd CPU per call %.0f µs)", CLIENTS, perSecond, etcdMicros),
          Map.of("per_second", perSecond, "etcd_cpu_ns_per_call", etcdMicros * 1e3), List.of("per_second"),
          List.of("Resolve throughput, " + CLIENTS + " clients")));
    } finally {
      for (EtcdClient c : clients) {
        c.close();
      }
    }
  }

  /** Process start until the first Range is answered, each etcd on a fresh data dir. */
  private static void starts(EtcdInstall etcd, EtcdScale scale, List<EtcdFigure> figures) throws Exception {
    LatencySamples samples = new LatencySamples(scale.starts());
    for (int i = 0; i < scale.starts(); i++) {
      long t0 = System.nanoTime();
      try (EtcdProcess server = EtcdProcess.start(etcd)) {
        server.awaitListening(WAIT);
        try (EtcdClient client = new EtcdClient(server.clientPort())) {
          firstAnswer(client);
          samples.add(System.nanoTime() - t0);
        }
      }
    }
    figures.add(new EtcdFigure("registry process start → first answered RPC",
        "etcd start → first answered Range: " + Units.latency(samples),
        Map.of("p50_ns", samples.p50(), "max_ns", samples.percentile(100), "count", (double) samples.count()),
        List.of("p50_ns")));
  }

  /**
   * Resident memory idle, then with as many leased keys as Berth's memory row has leases, each
   * key on its own lease, granted, put and kept alive over its own connection.
   */
  private static void memory(EtcdInstall etcd, EtcdScale scale, List<EtcdFigure> figures) throws Exception {
    int n = scale.leases();
    List<EtcdClient> clients = new ArrayList<>();
    try (EtcdProcess server = EtcdProcess.start(etcd)) {
      server.awaitListening(WAIT);
      try (EtcdClient first = new EtcdClient(server.clientPort())) {
        firstAnswer(first);
        Thread.sleep(500);
        long idle = server.rssBytes();
        CountDownLatch alive = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
          clients.add(new EtcdClient(server.clientPort()));
        }
        // granted and put from 8 threads: one at a time, 2,000 fsynced raft writes take ~10 s
        ExecutorService setup = Executors.newFixedThreadPool(CLIENTS);
        try {
          // each keep-alive stream stays open until its client's channel is shut down
          List<Future<StreamObserver<LeaseKeepAliveRequest>>> opened = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            EtcdClient c = clients.get(i);
            String key = PREFIX + "mem-" + i;
            opened.add(setup.submit(() -> {
              long lease = c.grant(60).getID();
              c.put(key, "127.0.0.1:0", lease);
              return c.keepAlive(lease, new FirstAnswer(alive));
            }));
          }
          for (Future<StreamObserver<LeaseKeepAliveRequest>> f : opened) {
            f.get();
          }
        } finally {
          setup.shutdown();
        }
        if (!alive.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException(alive.getCount() + " of " + n + " keep-alive streams got no answer within " + WAIT);
        }
        long live = first.countPrefix(PREFIX + "mem-");
        if (live != n) {
          throw new IllegalStateException("expected " + n + " leased keys, etcd has " + live);
        }
        Thread.sleep(500);
        long loaded = server.rssBytes();
        figures.add(new EtcdFigure("registry resident memory, idle",
            String.format(Locale.ROOT, "etcd idle: %.1f MiB", idle / 1048576.0),
            Map.of("rss_bytes", (double) idle), List.of("rss_bytes")));
        figures.add(new EtcdFigure("registry resident memory, " + String.format(Locale.ROOT, "%,d", n)
                + " live leases on " + String.format(Locale.ROOT, "%,d", n) + " connections",
            String.format(Locale.ROOT, "etcd, %,d keys, a lease and a connection each: %.1f MiB", n, loaded / 1048576.0),
            Map.of("rss_bytes", (double) loaded, "idle_rss_bytes", (double) idle, "keys", (double) n),
            // not joined to the former "N live instances" row: its leases shared one connection
            List.of("rss_bytes")));
      } finally {
        for (EtcdClient c : clients) {
          c.channel.shutdownNow();
        }
        for (EtcdClient c : clients) {
          c.close();
        }
      }
    }
  }

  /**
   * Sends Ranges until one is answered: etcd's client port listens before a single member has
   * elected itself leader, and a linearizable read waits for (or fails without) one.
   */
  static void firstAnswer(EtcdClient client) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    RangeRequest request = RangeRequest.newBuilder().setKey(EtcdClient.bytes(KEY)).build();
    while (true) {
      try {
        client.kv().withWaitForReady().withDeadlineAfter(1, TimeUnit.SECONDS).range(request);
        return;
      } catch (StatusRuntimeException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("etcd answered no Range within " + WAIT, notYet);
        }
        Thread.sleep(1);
      }
    }
  }

  /** Counts a latch down on a keep-alive stream's first answer. */
  private static final class FirstAnswer implements StreamObserver<LeaseKeepAliveResponse> {
    private final CountDownLatch latch;
    private boolean answered;

    FirstAnswer(CountDownLatch latch) {
      this.latch = latch;
    }

    @Override
    public void onNext(LeaseKeepAliveResponse value) {
      if (!answered) {
        answered = true;
        latch.countDown();
      }
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }
}
