package dev.berth.bench;

import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.client.Lease;
import dev.berth.local.LatencySamples;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.RegistryInfo;
import dev.berth.proto.v1.ResolveRequest;
import java.nio.file.Files;
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
    try (Lease lease = berth.lease("bench-resolve").attach();
        Listening listening = Listening.on(lease)) {
      lease.ready();
      ResolveRequest request = ResolveRequest.newBuilder().setService("bench-resolve").build();

      RegistryGrpc.RegistryBlockingStub stub = InternalBerth.registryStub(berth);
      for (int i = 0; i < scale.resolveWarmup(); i++) {
        stub.resolve(request);
      }
      LatencySamples samples = new LatencySamples(scale.resolves());
      for (int i = 0; i < scale.resolves(); i++) {
        long start = System.nanoTime();
        stub.resolve(request);
        samples.add(System.nanoTime() - start);
      }
      table.add(new Row("Resolve RPC, 1 client", Units.latency(samples), "", "", "p50 ≤ 300 µs",
          samples.p50() <= 300_000,
          Map.of("p50_ns", samples.p50(), "p99_ns", samples.p99(), "count", (double) samples.count())));

      long registryPid = registryPid(home);
      Cpu cpu = new Cpu(registryPid);
      double[] result = throughput(home, request, scale.throughputMillis(), cpu);
      double perSecond = result[0];
      double calls = result[1];
      // both sides share the machine's cores: where the CPU goes says what a fix could buy
      double registryMicros = cpu.registryNanos / calls / 1e3;
      double clientMicros = cpu.selfNanos / calls / 1e3;
      table.add(new Row("Resolve RPC, " + CLIENTS + " clients, throughput",
          String.format(Locale.ROOT, "%,.0f /s", perSecond),
          String.format(Locale.ROOT, "CPU per call: registry %.0f µs, clients %.0f µs", registryMicros, clientMicros),
          "", "≥ 20,000 /s",
          perSecond >= 20_000, Map.of("per_second", perSecond,
              "registry_cpu_ns_per_call", registryMicros * 1e3, "client_cpu_ns_per_call", clientMicros * 1e3)));
    }
  }

  /** Eight clients, each with its own connection, resolving in a loop for {@code millis}. */
  private static double[] throughput(Path home, ResolveRequest request, long millis, Cpu cpu)
      throws Exception {
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
          InternalBerth.registryStub(client).resolve(request);
        }
      }
      cpu.start();
      long start = System.nanoTime();
      long end = start + millis * 1_000_000;
      for (Berth client : clients) {
        RegistryGrpc.RegistryBlockingStub stub = InternalBerth.registryStub(client);
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
      cpu.stop();
      return new double[] {total.get() / seconds, total.get()};
    } finally {
      for (Berth client : clients) {
        client.close();
      }
    }
  }

  private static long registryPid(Path home) throws java.io.IOException {
    return StateDir.of(home).readRegistryInfo().map(RegistryInfo::getPid)
        .orElseThrow(() -> new java.io.IOException("no registry.json in " + home));
  }

  /** CPU time (user + system) of the registry process and of this one, over a window. */
  private static final class Cpu {
    final long registry;
    long registryNanos;
    long selfNanos;

    Cpu(long registry) {
      this.registry = registry;
    }

    void start() throws java.io.IOException {
      registryNanos = -nanos(registry);
      selfNanos = -nanos(ProcessHandle.current().pid());
    }

    void stop() throws java.io.IOException {
      registryNanos += nanos(registry);
      selfNanos += nanos(ProcessHandle.current().pid());
    }

    /** utime + stime from /proc/PID/stat, in clock ticks of 10 ms (USER_HZ 100 on Linux). */
    private static long nanos(long pid) throws java.io.IOException {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }
  }
}
