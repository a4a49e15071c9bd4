package dev.berth.bench;

import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.Claim;
import dev.berth.client.InternalBerth;
import dev.berth.client.Lease;
import dev.berth.local.LatencySamples;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The registry as a process: how fast it starts, how fast 100 instances are back after it is
 * killed and restarted, and how much memory it holds with 1,000 live instances.
 */
final class RegistryFigures {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private RegistryFigures() {}

  static void run(Path scratch, Scale scale, ResultTable table) throws Exception {
    startToFirstAnswer(scratch, scale, table);
    restartRecovery(scratch, scale, table);
    memory(scratch, scale, table);
  }

  private static void startToFirstAnswer(Path scratch, Scale scale, ResultTable table) throws Exception {
    LatencySamples samples = new LatencySamples(scale.starts());
    for (int i = 0; i < scale.starts(); i++) {
      Path home = Files.createTempDirectory(scratch, "start");
      int port = freePort();
      try (Children children = new Children()) {
        long t0 = System.nanoTime();
        Children.Child registry = children.registry(port, home);
        awaitListening(port, registry.process);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
          HealthGrpc.newBlockingStub(channel).withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS)
              .check(HealthCheckRequest.getDefaultInstance());
          samples.add(System.nanoTime() - t0);
        } finally {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
      }
    }
    table.add(new Row("registry process start → first answered RPC", Units.latency(samples),
        "", "", "≤ 1.5 s", samples.percentile(100) <= 1_500_000_000L,
        Map.of("p50_ns", samples.p50(), "max_ns", samples.percentile(100), "count", (double) samples.count())));
  }

  private static void restartRecovery(Path scratch, Scale scale, ResultTable table) throws Exception {
    Path home = Files.createTempDirectory(scratch, "restart");
    int n = scale.restartInstances();
    try (Children children = new Children()) {
      Children.Child first = children.registry(0, home);
      int port = portOf(first.awaitLine("berth registry listening on", WAIT));
      List<Claim> claims = new ArrayList<>();
      try (Berth berth = Berth.builder().stateDir(home).build()) {
        Map<String, Integer> before = new HashMap<>();
        for (int i = 0; i < n; i++) {
          String service = "bench-restart-" + i;
          Claim claim = berth.claim(service, RegistryFigures::listen);
          claims.add(claim);
          before.put(service, claim.port());
        }
        awaitLive(berth, n, before.keySet());

        long t0 = System.nanoTime();
        first.kill();
        children.registry(port, home).awaitLine("berth registry listening on", WAIT);
        Map<String, Integer> after = awaitLive(berth, n, before.keySet());
        long elapsed = System.nanoTime() - t0;

        long changed = before.entrySet().stream()
            .filter(e -> !e.getValue().equals(after.get(e.getKey())))
            .count();
        table.add(new Row("registry kill -9 + restart → " + n + " instances re-attached",
            Units.nanos(elapsed) + ", " + changed + " ports changed", "", "", "≤ 2 s, 0 ports changed",
            elapsed <= 2_000_000_000L && changed == 0,
            Map.of("elapsed_ns", (double) elapsed, "ports_changed", (double) changed, "instances", (double) n)));
      } finally {
        for (Claim claim : claims) {
          claim.close();
        }
      }
    }
  }

  private static void memory(Path scratch, Scale scale, ResultTable table) throws Exception {
    Path home = Files.createTempDirectory(scratch, "memory");
    int n = scale.memoryInstances();
    try (Children children = new Children()) {
      Children.Child registry = children.registry(0, home);
      registry.awaitLine("berth registry listening on", WAIT);
      List<Lease> leases = new ArrayList<>();
      List<Listening> listening = new ArrayList<>();
      try (Berth berth = Berth.builder().stateDir(home).build()) {
        InternalBerth.registryStub(berth).list(ListRequest.getDefaultInstance());
        Thread.sleep(500);
        long idle = rssBytes(registry.process.pid());
        for (int i = 0; i < n; i++) {
          Lease lease = berth.lease("bench-mem-" + i).attach();
          listening.add(Listening.on(lease));
          lease.ready();
          leases.add(lease);
        }
        long live = InternalBerth.registryStub(berth).list(ListRequest.getDefaultInstance()).getInstancesList().stream()
            .filter(i -> i.getService().startsWith("bench-mem-")) // the registry lists itself too
            .count();
        if (live != n) {
          throw new IllegalStateException("expected " + n + " live instances, the registry lists " + live);
        }
        Thread.sleep(500);
        long loaded = rssBytes(registry.process.pid());
        double mib = loaded / 1048576.0;
        table.add(new Row("registry resident memory, " + n + " live instances",
            String.format(Locale.ROOT, "%.1f MiB", mib),
            String.format(Locale.ROOT, "idle: %.1f MiB", idle / 1048576.0),
            Units.ratio((double) loaded / idle), "≤ 150 MiB", mib <= 150,
            Map.of("rss_bytes", (double) loaded, "idle_rss_bytes", (double) idle, "instances", (double) n)));
      } finally {
        for (Lease lease : leases) {
          lease.close();
        }
        listening.forEach(Listening::close);
      }
    }
  }

  /** Polls until every named service is live once; returns each one's port. */
  private static Map<String, Integer> awaitLive(Berth berth, int n, java.util.Set<String> services)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Map<String, Integer> ports = new HashMap<>();
        for (Instance instance : InternalBerth.registryStub(berth).withDeadlineAfter(1, TimeUnit.SECONDS)
            .list(ListRequest.getDefaultInstance()).getInstancesList()) {
          if (services.contains(instance.getService())) {
            ports.put(instance.getService(), instance.getEndpoints(0).getPort());
          }
        }
        if (ports.size() == n) {
          return ports;
        }
      } catch (RuntimeException registryNotBackYet) {
        // the restarted registry is still starting
      }
      // each List of 100 instances costs the (still cold) registry CPU the re-attaches need:
      // polling every 2 ms slowed the very recovery it timed; 10 ms is fine grain for ~1.5 s
      Thread.sleep(10);
    }
    throw new IllegalStateException(n + " instances were not all live again within " + WAIT);
  }

  private static AutoCloseable listen(Address address) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.bind(address.inetSocketAddress());
    return socket;
  }

  private static void awaitListening(int port, Process registry) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline && registry.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(LOOPBACK, port), 100);
        return;
      } catch (IOException notYet) {
        Thread.sleep(1);
      }
    }
    throw new IllegalStateException("the registry did not listen on " + port + " within " + WAIT);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      return s.getLocalPort();
    }
  }

  private static int portOf(String listeningLine) {
    // "berth registry listening on 127.0.0.1:PORT (state DIR)"
    String address = listeningLine.split(" ")[4];
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private static long rssBytes(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid + "/status");
  }
}
