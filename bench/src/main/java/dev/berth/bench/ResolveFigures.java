package dev.berth.bench;

import dev.berth.client.Berth;
import dev.berth.client.Lease;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.ResolveRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** The registry's {@code Resolve} RPC: latency from one client, throughput from eight. */
final class ResolveFigures {
  private static final int CLIENTS = 8;

  private ResolveFigures() {}

  static void run(Berth berth, Path home, Scale scale, ResultTable table) throws Exception {
    try (Lease lease = berth.lease("bench-resolve").attach()) {
      lease.ready();
      ResolveRequest request = ResolveRequest.newBuilder().setService("bench-resolve").build();

      RegistryGrpc.RegistryBlockingStub stub = berth.registryStub();
      for (int i = 0; i < scale.resolveWarmup(); i++) {
        stub.resolve(request);
      }
      Samples samples = new Samples(scale.resolves());
      for (int i = 0; i < scale.resolves(); i++) {
        long start = System.nanoTime();
        stub.resolve(request);
        samples.add(System.nanoTime() - start);
      }
      table.add(new Row("Resolve RPC, 1 client", Units.latency(samples), "", "", "p50 ≤ 300 µs",
          samples.p50() <= 300_000,
          Map.of("p50_ns", samples.p50(), "p99_ns", samples.p99(), "count", (double) samples.count())));

      double perSecond = throughput(home, request, scale.throughputMillis());
      table.add(new Row("Resolve throughput, " + CLIENTS + " clients",
          String.format(Locale.ROOT, "%,.0f /s", perSecond), "", "", "≥ 20,000 /s",
          perSecond >= 20_000, Map.of("per_second", perSecond)));
    }
  }

  /** Eight clients, each with its own connection, resolving in a loop for {@code millis}. */
  private static double throughput(Path home, ResolveRequest request, long millis) throws Exception {
    List<Berth> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(Berth.builder().stateDir(home).build());
      }
      AtomicLong total = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      // warm every connection before the clock starts
      for (Berth client : clients) {
        for (int i = 0; i < 500; i++) {
          client.registryStub().resolve(request);
        }
      }
      long start = System.nanoTime();
      long end = start + millis * 1_000_000;
      for (Berth client : clients) {
        RegistryGrpc.RegistryBlockingStub stub = client.registryStub();
        Thread t = new Thread(() -> {
          long n = 0;
          while (System.nanoTime() < end) {
            stub.resolve(request);
            n++;
          }
          total.addAndGet(n);
        }, "bench-resolve-client");
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(millis + 30_000);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return total.get() / seconds;
    } finally {
      for (Berth client : clients) {
        client.close();
      }
    }
  }
}
