package dev.berth.bench;

import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.Claim;
import dev.berth.client.InternalBerth;
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
 * killed and restarted, and how much memory it holds idle and with 1,000 live leases, each on
 * its own connection from another process.
 */
final class RegistryFigures {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  /**
   * The ports of the memory figures' registry: 5,000 for up to 4,096 leases, below the test
   * suites' 10240-32767 and outside the ephemeral range, where the bench's own 4,096 client
   * connections (and everyone else's) take local ports: a pool port in use is a conflict, and
   * each conflict costs the registry a scan of every process's sockets to name the holder.
   */
  private static final String MEMORY_POOL = "5000-9999";
  private static final int MAX_LEASES = 4096;
  private static final Duration SETTLE = Duration.ofSeconds(2);
  private static final Duration LEASES_WAIT = Duration.ofMinutes(15);

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
        "", "", "≤ 400 ms (p50)", samples.p50() <= 400_000_000L,
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

  /**
   * Resident memory of a registry idle (no lease, 2 s after it fully started, so that what it
   * loads at start has settled), then with {@code memoryInstances} live leases each on its own
   * connection from a separate process ({@link LeaseHolder}), as that many services hold them;
   * in a full run also at 4,096, the most a registry takes, which must not run out of heap.
   * Its pool is the bench's own span, outside the default pool and the test suites' ports.
   */
  private static void memory(Path scratch, Scale scale, ResultTable table) throws Exception {
    Path home = Files.createTempDirectory(scratch, "memory");
    int n = scale.memoryInstances();
    try (Children children = new Children()) {
      Children.Child registry = children.registry(0, home, MEMORY_POOL);
      registry.awaitLine("berth registry listening on", WAIT);
      long pid = registry.process.pid();
      Thread.sleep(SETTLE.toMillis());
      long idle = rssBytes(pid);
      table.add(new Row("registry resident memory, idle", mib(idle), "", "", "≤ 48 MiB",
          idle <= 48L << 20, Map.of("rss_bytes", (double) idle)));

      Children.Child holder = children.leaseHolder(home, n);
      holder.awaitLine("live " + n, LEASES_WAIT);
      try (Berth berth = Berth.builder().stateDir(home).autoStart(false).build()) {
        checkLive(berth, n);
        Thread.sleep(SETTLE.toMillis());
        long loaded = rssBytes(pid);
        String count = String.format(Locale.ROOT, "%,d", n);
        table.add(new Row("registry resident memory, " + count + " live leases on " + count + " connections",
            mib(loaded), "idle: " + mib(idle), Units.ratio((double) loaded / idle), "≤ 64 MiB",
            loaded <= 64L << 20, Map.of("rss_bytes", (double) loaded, "idle_rss_bytes", (double) idle,
                "instances", (double) n, "socket_fds", (double) socketFds(pid))));
        if (scale == Scale.FULL) {
          holder.send("add " + (MAX_LEASES - n));
          holder.awaitLine("live " + MAX_LEASES, LEASES_WAIT);
          checkLive(berth, MAX_LEASES);
          Thread.sleep(SETTLE.toMillis());
          long most = rssBytes(pid);
          boolean alive = registry.process.isAlive();
          table.add(new Row("registry resident memory, 4,096 live leases on 4,096 connections (its most)",
              mib(most), "idle: " + mib(idle), Units.ratio((double) most / idle),
              "all live, no OutOfMemoryError", alive, Map.of("rss_bytes", (double) most,
                  "instances", (double) MAX_LEASES, "socket_fds", (double) socketFds(pid))));
        }
      }
    }
  }

  private static void checkLive(Berth berth, int n) {
    long live = InternalBerth.registryStub(berth).withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .list(ListRequest.getDefaultInstance()).getInstancesList().stream()
        .filter(i -> i.getService().startsWith("bench-mem-")) // the registry lists itself too
        .count();
    if (live != n) {
      throw new IllegalStateException("expected " + n + " live instances, the registry lists " + live);
    }
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /** Sockets the process holds open: its listeners and one per connection. */
  private static long socketFds(long pid) throws IOException {
    try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException gone) {
          return false;
        }
      }).count();
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
