package dev.berth.cli.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.ConflictsRequest;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.PortConflict;
import dev.berth.registry.BerthRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The story {@code berth demo} tells: an in-process registry on port 0 in a temp state dir (its
 * pool as {@code --ports} or {@code $BERTH_PORTS} say), the three samples as child JVMs, calls by
 * name, {@code kill -9}, restart on the same port, and a cleanup that leaves no process, port or
 * file behind (also on Ctrl-C, through a shutdown hook).
 *
 * <p>Runs on one thread; {@link #close} is synchronized because the shutdown hook calls it too.
 */
final class DemoRun {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(45);
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final String INDENT = "           ";
  private static final String ORDER = "{\"sku\":\"tea\",\"quantity\":2}";

  private final PrintWriter out;
  private final int requests;
  private final BerthRegistry.Builder registryBuilder;
  private final long startNanos = System.nanoTime();
  private final List<SampleChild> children = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  private Path stateDir;
  private LogToFile registryLog;
  private BerthRegistry registry;
  private Berth berth;
  private boolean closed;
  private volatile boolean interrupted;

  /** {@code registryBuilder}: the demo's registry, all but its state dir. */
  DemoRun(PrintWriter out, int requests, BerthRegistry.Builder registryBuilder) {
    this.out = out;
    this.requests = requests;
    this.registryBuilder = registryBuilder;
  }

  int run() throws Exception {
    Thread hook = new Thread(() -> {
      interrupted = true;
      say("");
      step("ctrl-c", "stopping everything");
      close();
    }, "berth-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      story();
    } catch (Exception e) {
      if (interrupted) {
        return 130; // the hook stopped everything under our feet; its line said so
      }
      throw e;
    } finally {
      close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down; the hook finds everything closed
      }
    }
    say("done in %.1f s. Yours next: bin/berth up; bin/berth run web -- <your server>; bin/berth ls",
        (System.nanoTime() - startNanos) / 1e9);
    return 0;
  }

  private void story() throws Exception {
    say("berth demo: three services that find each other by name, each its own process. "
        + "Nobody types a port.");
    String address;
    synchronized (this) {
      stateDir = Files.createTempDirectory("berth-demo-");
      // the registry runs in this JVM: its log lines (port conflicts...) go to its log, not
      // between the lines of the story
      registryLog = LogToFile.open(StateDir.of(stateDir).createFile(StateDir.LOG)); // 0600
      registry = registryBuilder.stateDir(stateDir).build().start();
      address = "127.0.0.1:" + registry.port();
      berth = Berth.builder().stateDir(stateDir).registry(address).autoStart(false)
          .serviceName("demo").build();
    }
    step("registry", "listening on " + address + ", in this process (state and registry.log in "
        + stateDir + ")");

    step("start", "catalog, orders, gateway: each its own JVM (java -cp berth.jar dev.berth.samples...)");
    long t0 = System.nanoTime();
    SampleChild catalog = startSample("catalog", address);
    SampleChild orders = startSample("orders", address);
    SampleChild gateway = startSample("gateway", address);
    awaitLive(catalog, "main");
    awaitLive(orders, "main");
    awaitLive(gateway, "http");
    note("all three live in %.1f s; orders and gateway found their peers by name", (System.nanoTime() - t0) / 1e9);
    noteConflicts();

    Address gatewayHttp = berth.resolve("gateway/http");
    InetSocketAddress gw = gatewayHttp.inetSocketAddress();
    step("call", "gateway by name: berth.resolve(\"gateway/http\") = " + gatewayHttp);
    Reply products = send(gw, "GET", "/products", null);
    note("GET  /products -> %d %s", products.status, abbreviate(products.body, 80));
    Reply first = send(gw, "POST", "/orders", ORDER);
    note("POST /orders %s -> %d %s", ORDER, first.status, abbreviate(first.body, 70));
    placeOrders(gw, requests, "more orders");
    gatewayMeters(gw);

    step("berth ls", "what the registry knows (berth/metrics is the registry's own /metrics and /sd):");
    printLs();

    int ordersPort = berth.resolve("orders").port();
    step("kill -9", "orders (pid " + orders.pid() + ")");
    double goneMillis = killAndWatch(orders);
    if (goneMillis < 0) {
      throw CliException.failure("orders was still listed 5 s after kill -9");
    }
    note("gone from the registry %.1f ms later: its lease stream broke; no TTL to wait for", goneMillis);
    printLs();
    Reply down = send(gw, "POST", "/orders", ORDER);
    note("POST /orders now fails fast: %d in %s, %s", down.status, Latencies.millis(down.millis),
        errorOf(down));

    step("restart", "orders, the same command as before");
    SampleChild again = startSample("orders", address);
    awaitLive(again, "main");
    long liveAt = System.nanoTime();
    int newPort = berth.resolve("orders").port();
    if (newPort == ordersPort) {
      note("back on 127.0.0.1:%d, the same port as before: Berth remembered its berth", newPort);
    } else {
      note("back on 127.0.0.1:%d (its old port %d was taken meanwhile)", newPort, ordersPort);
    }
    awaitGatewayReaches(gw);
    note("gateway's channel followed it by name: the first call through the new process answered "
        + "%.0f ms after it was live (a fresh JVM's first request, warming up)",
        (System.nanoTime() - liveAt) / 1e6);
    placeOrders(gw, Math.max(1, requests / 2), "orders through the new orders process");

    step("berth top", "calls per edge for 1 s of traffic, from each service's own metrics "
        + "endpoint (berth top --once):");
    printTop(gw);
  }

  /** Sends orders (and now and then a product list) while {@code berth top} measures a second. */
  private void printTop(InetSocketAddress gw) throws Exception {
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread traffic = new Thread(() -> {
      for (int i = 0; !stop.get(); i++) {
        try {
          if (i % 5 == 0) {
            send(gw, "GET", "/products", null);
          } else {
            send(gw, "POST", "/orders", ORDER);
          }
        } catch (Exception e) {
          return;
        }
      }
    }, "berth-demo-traffic");
    traffic.setDaemon(true);
    traffic.start();
    try {
      Thread.sleep(100); // the first calls are under way when the interval starts
      CallTop.print(new CallTop(berth).measure(Duration.ofSeconds(1)), out, INDENT);
    } finally {
      stop.set(true);
      traffic.join(5000);
    }
  }

  // ---- steps

  private synchronized SampleChild startSample(String name, String address) throws IOException {
    if (closed) {
      throw CliException.failure("stopped");
    }
    String main = "dev.berth.samples." + name + "." + Character.toUpperCase(name.charAt(0))
        + name.substring(1) + "Main";
    SampleChild child = SampleChild.start(name, main, stateDir, address, out, INDENT);
    children.add(child);
    return child;
  }

  private void awaitLive(SampleChild child, String endpoint) throws InterruptedException {
    if (!child.awaitServing(START_TIMEOUT)) {
      throw CliException.failure(child.name + " did not start within " + START_TIMEOUT.toSeconds()
          + " s: " + child.logTail());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (berth.resolveAll(child.name + "/" + endpoint).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw CliException.failure(child.name + " said it serves, but the registry does not list it");
      }
      Thread.sleep(20);
    }
  }

  /** Calls through gateway until one succeeds: its watch on orders delivers the new address. */
  private void awaitGatewayReaches(InetSocketAddress gw) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Reply reply;
    do {
      reply = send(gw, "POST", "/orders", ORDER);
      if (reply.status == 200) {
        return;
      }
      Thread.sleep(10);
    } while (System.nanoTime() < deadline);
    throw CliException.failure("gateway still cannot reach orders 10 s after its restart: " + reply.body);
  }

  private void placeOrders(InetSocketAddress gw, int n, String what) throws Exception {
    for (int i = 0; i < n / 2; i++) {
      send(gw, "POST", "/orders", ORDER); // warm-up: the JIT has barely started
    }
    Latencies latencies = new Latencies();
    int ok = 0;
    for (int i = 0; i < n; i++) {
      Reply reply = send(gw, "POST", "/orders", ORDER);
      latencies.add(reply.nanos);
      if (reply.status == 200) {
        ok++;
      }
    }
    note("%d %s (after %d to warm up): %d OK; %s per call", n, what, n / 2, ok, latencies.summary());
    note("  (measured here: HTTP to gateway, which calls orders, which calls catalog, both gRPC by name)");
    if (ok != n) {
      throw CliException.failure((n - ok) + " of " + n + " orders failed");
    }
  }

  /** What gateway's own meters say about the gRPC calls it made ({@code berth.client.call.duration}). */
  private void gatewayMeters(InetSocketAddress gw) throws Exception {
    Reply stats = send(gw, "GET", "/stats", null);
    Struct.Builder json = Struct.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(stats.body, json);
    } catch (InvalidProtocolBufferException e) {
      return;
    }
    List<String> parts = new ArrayList<>();
    Value calls = json.getFieldsOrDefault("calls", Value.getDefaultInstance());
    for (Value row : calls.getListValue().getValuesList()) {
      Struct r = row.getStructValue();
      if (!"OK".equals(text(r, "status")) || number(r, "count") < 10) {
        continue; // a single cold call says nothing
      }
      String method = text(r, "method");
      method = method.substring(method.lastIndexOf('/') + 1);
      parts.add(String.format("%s.%s p50 %s, p99 %s (%d calls)", text(r, "service"), method,
          Latencies.millis(number(r, "p50_ms")), Latencies.millis(number(r, "p99_ms")),
          (long) number(r, "count")));
    }
    if (!parts.isEmpty()) {
      parts.sort(Comparator.naturalOrder());
      note("gateway's own client meters (berth.client.call.duration):");
      for (String part : parts) {
        note("  " + part);
      }
    }
  }

  private double killAndWatch(SampleChild orders) throws Exception {
    CountDownLatch seen = new CountDownLatch(1);
    CountDownLatch gone = new CountDownLatch(1);
    AtomicLong goneAt = new AtomicLong();
    AutoCloseable watch = berth.watch("orders", addresses -> {
      if (!addresses.isEmpty()) {
        seen.countDown();
      } else if (seen.getCount() == 0 && goneAt.compareAndSet(0, System.nanoTime())) {
        gone.countDown();
      }
    });
    try {
      if (!seen.await(5, TimeUnit.SECONDS)) {
        throw CliException.failure("the watch on orders did not report it live");
      }
      long killedAt = System.nanoTime();
      orders.kill9();
      if (!gone.await(5, TimeUnit.SECONDS)) {
        return -1;
      }
      return (goneAt.get() - killedAt) / 1e6;
    } finally {
      watch.close();
    }
  }

  private void printLs() {
    LsCommand.printTable(InstanceRow.of(InternalBerth.registryStub(berth)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .list(ListRequest.getDefaultInstance())),
        out, INDENT, Instant.now());
  }

  /** One line for the port conflicts the registry logged, instead of one line each. */
  private void noteConflicts() {
    // each service met the same busy ports, and the log keeps the last 50: count ports, once
    long n = InternalBerth.registryStub(berth).withDeadlineAfter(5, TimeUnit.SECONDS)
        .conflicts(ConflictsRequest.getDefaultInstance()).getConflictsList().stream()
        .mapToInt(PortConflict::getPort).distinct().count();
    if (n > 0) {
      // the state dir and its registry.log go with the demo: name no file that will be gone
      note("%d port%s of the pool %s held by other programs, so the registry handed out others "
          + "(with your own registry, berth conflicts names who held each)",
          n, n == 1 ? "" : "s", n == 1 ? "was" : "were");
    }
  }

  // ---- cleanup

  /** Stops the samples, the client and the registry, removes the state dir. Idempotent. */
  synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    TreeSet<Integer> ports = new TreeSet<>();
    try {
      if (berth != null) {
        InstanceRow.of(InternalBerth.registryStub(berth).withDeadlineAfter(2, TimeUnit.SECONDS)
            .list(ListRequest.getDefaultInstance())).forEach(r -> ports.add(r.port));
      }
    } catch (RuntimeException e) {
      // the figures at the end are a courtesy
    }
    int stopped = 0;
    for (SampleChild child : children) {
      if (child.isAlive()) {
        child.terminate();
        stopped++;
      }
    }
    for (SampleChild child : children) {
      child.stop(STOP_GRACE);
    }
    if (berth != null) {
      berth.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (registryLog != null) {
      registryLog.close();
    }
    boolean removed = deleteRecursively(stateDir);
    if (stateDir == null) {
      return;
    }
    List<Integer> busy = ports.stream().filter(p -> !isFree(p)).collect(Collectors.toList());
    step("stop", stopped + " services stopped, registry closed, "
        + (removed ? "temp state dir removed" : "temp state dir NOT removed: " + stateDir)
        + (ports.isEmpty() ? "" : busy.isEmpty()
            ? "; ports " + ports.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " free again"
            : "; ports still busy: " + busy));
  }

  private static boolean deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  // ---- HTTP and output

  private static final class Reply {
    final int status;
    final String body;
    final long nanos;
    final double millis;

    Reply(int status, String body, long nanos) {
      this.status = status;
      this.body = body;
      this.nanos = nanos;
      this.millis = nanos / 1e6;
    }
  }

  private Reply send(InetSocketAddress to, String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + to.getPort() + path))
        .timeout(Duration.ofSeconds(5));
    if (body == null) {
      request.GET();
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    long t0 = System.nanoTime();
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.body().strip(), System.nanoTime() - t0);
  }

  /** "UNAVAILABLE: no live instance of 'orders'" from the gateway's JSON error body. */
  private static String errorOf(Reply reply) {
    Struct.Builder json = Struct.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(reply.body, json);
    } catch (InvalidProtocolBufferException e) {
      return abbreviate(reply.body, 70);
    }
    return text(json.build(), "status") + ": " + text(json.build(), "error");
  }

  private static String text(Struct s, String key) {
    return s.getFieldsOrDefault(key, Value.getDefaultInstance()).getStringValue();
  }

  private static double number(Struct s, String key) {
    return s.getFieldsOrDefault(key, Value.getDefaultInstance()).getNumberValue();
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  private void step(String label, String text) {
    say("%-10s %s", label, text);
  }

  private void note(String format, Object... args) {
    say(INDENT + format, args);
  }

  private void say(String format, Object... args) {
    synchronized (out) {
      out.println(args.length == 0 ? format : String.format(format, args));
      out.flush();
    }
  }
}
