package dev.berth.bench;

import dev.berth.client.Berth;
import dev.berth.local.RegistryAddresses;
import dev.berth.local.StateDir;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the registry's dashboard costs: the page's weight on a first visit (the bytes of
 * {@code /dashboard/}, of every file it references and of the event stream's first second, as
 * the owner signed in through a {@code berth dashboard} URL sees them), and the registry's CPU
 * (utime + stime of {@code /proc/PID/stat}) over the same window with no page open and then with
 * one open, while the sample stack ({@code bin/berth up} of catalog, orders, gateway) places
 * orders at a steady rate: gateway → orders → catalog, the edges the page shows. A registry
 * child of its own, in its own state dir, with its own pool.
 */
final class DashboardFigures {
  /** Apart from the other figures' pools, below the ephemeral ranges, outside the default pool. */
  static final String POOL = System.getProperty("berth.bench.dashboardPorts", "4000-4999");
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Orders a second through gateway: a few services busy, as on a developer's machine. */
  private static final int ORDERS_PER_SECOND = 20;
  private static final String ORDER = "{\"sku\":\"tea\",\"quantity\":2}";

  /** The figures of one run, for the table and for a test. */
  record Figures(long pageBytes, Set<String> files, long streamSecondBytes, double idleCpuMillisPerSecond,
      double openCpuMillisPerSecond, long orders) {}

  private DashboardFigures() {}

  static void run(Path scratch, Scale scale, ResultTable table) throws Exception {
    Optional<Path> script = Checkout.binBerth();
    Optional<Path> stack = Checkout.sampleStack();
    if (script.isEmpty() || stack.isEmpty()) {
      for (String figure : new String[] {"dashboard page, first load", "registry CPU with a dashboard open"}) {
        table.add(new Row(figure, "not measured: no bin/berth or sample-services/berth.yaml beside the bench jar",
            "", "", "", null, Map.of()));
      }
      return;
    }
    Figures f = measure(script.get(), stack.get(), scratch, Duration.ofSeconds(scale.dashboardSeconds()));
    table.add(new Row("dashboard page, first load (" + String.join(", ", f.files())
        + " + 1 s of /dashboard/events, as the owner)", kib(f.pageBytes() + f.streamSecondBytes()) + " ("
        + kib(f.pageBytes()) + " files, " + kib(f.streamSecondBytes()) + " events)", "", "", "", null,
        Map.of("bytes", (double) (f.pageBytes() + f.streamSecondBytes()), "file_bytes", (double) f.pageBytes(),
            "first_second_event_bytes", (double) f.streamSecondBytes())));
    table.add(new Row("registry CPU with a dashboard open (sample stack, " + ORDERS_PER_SECOND
        + " orders/s, " + scale.dashboardSeconds() + " s each)", cpu(f.openCpuMillisPerSecond()),
        "no page open: " + cpu(f.idleCpuMillisPerSecond()),
        Units.ratio(f.openCpuMillisPerSecond() / f.idleCpuMillisPerSecond()), "", null,
        Map.of("open_cpu_ms_per_s", f.openCpuMillisPerSecond(), "closed_cpu_ms_per_s", f.idleCpuMillisPerSecond(),
            "orders", (double) f.orders())));
  }

  /** The stack up under {@code script}, traffic on, the page loaded, then both CPU windows of {@code window}. */
  static Figures measure(Path script, Path stack, Path scratch, Duration window) throws Exception {
    // short: the stack's control socket lives under it, and a Unix socket path has 107 bytes
    Path home = Files.createDirectories(scratch.resolve("db"));
    Path log = scratch.resolve("dashboard.log");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong orders = new AtomicLong();
    Thread traffic = null;
    try (Children children = new Children()) {
      BerthUp.build(script);
      Children.Child registry = children.registry(0, home, POOL);
      registry.awaitLine("berth registry listening on", WAIT);
      try (Berth berth = Berth.builder().stateDir(home).autoStart(false).build()) {
        Children.Child up = BerthUp.start(children, script, stack.resolve("berth.yaml"), SampleStack.SERVICES,
            home, POOL, log);
        int gateway = LiveInstances.await(berth, "gateway", "http", Set.of(), WAIT, up.process, log).port();
        traffic = traffic(gateway, stop, orders);
        DashboardPage page = new DashboardPage(StateDir.of(home).readRegistryAddresses()
            .flatMap(RegistryAddresses::http).orElseThrow(() -> new IllegalStateException(
                "the bench's registry names no HTTP side in " + home.resolve(StateDir.REGISTRY_JSON))));
        String cookie = page.signIn(StateDir.of(home).readToken().orElseThrow());
        Thread.sleep(2_000); // the edges have a rate: two scrapes of calls under way
        Set<String> files = new LinkedHashSet<>();
        long pageBytes = page.firstLoadBytes(cookie, files);
        long streamBytes = page.streamBytes(cookie, 1_000);
        Thread.sleep(2_000); // the ticker's thread ends a second after the last stream
        long pid = registry.process.pid();
        double closed = cpu(pid, window);
        double open;
        try (DashboardPage.Stream s = page.openStream(cookie)) {
          s.drain();
          Thread.sleep(1_000); // its first events and the scrapes' first connections
          open = cpu(pid, window);
        }
        BerthUp.stop(up, home);
        return new Figures(pageBytes, files, streamBytes, closed, open, orders.get());
      }
    } finally {
      stop.set(true);
      if (traffic != null) {
        traffic.join(5_000);
      }
      Leftovers.kill(home);
    }
  }

  private static double cpu(long pid, Duration window) throws Exception {
    long t0 = System.nanoTime();
    ProcUsage before = ProcUsage.of(pid);
    Thread.sleep(window.toMillis());
    ProcUsage after = ProcUsage.of(pid);
    return after.cpuMillisPerSecond(before, (System.nanoTime() - t0) / 1e9);
  }

  /** POST /orders to gateway at {@link #ORDERS_PER_SECOND}, paced, on a daemon thread. */
  private static Thread traffic(int gatewayPort, AtomicBoolean stop, AtomicLong orders) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest order = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/orders"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
        .POST(HttpRequest.BodyPublishers.ofString(ORDER)).build();
    long pause = 1_000_000_000L / ORDERS_PER_SECOND;
    Thread t = new Thread(() -> {
      long next = System.nanoTime();
      while (!stop.get()) {
        try {
          if (client.send(order, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            orders.incrementAndGet();
          }
          next += pause;
          long sleep = next - System.nanoTime();
          if (sleep > 0) {
            Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
          }
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // gateway restarting or gone at the end: the next one tries again
        }
      }
    }, "bench-dashboard-orders");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String kib(long bytes) {
    return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }

  private static String cpu(double millisPerSecond) {
    return String.format(Locale.ROOT, "%.1f ms CPU/s", millisPerSecond);
  }
}
