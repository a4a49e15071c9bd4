package dev.berth.cli.internal;

import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.proto.v1.ConflictsRequest;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.PortConflict;
import dev.berth.registry.BerthRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The story {@code berth demo} tells: an in-process registry on port 0 in a temp state dir (its
 * pool as {@code --ports} or {@code $BERTH_PORTS} say), the three samples as child JVMs, calls by
 * name, {@code kill -9}, restart on the same port. What it starts and how that is cleaned up,
 * also on Ctrl-C through a shutdown hook, is {@link DemoSandbox}'s; the calls to gateway are
 * {@link GatewayHttp}'s and the load they add up to {@link DemoTraffic}'s, reading gateway's JSON
 * {@link GatewayJson}'s, the lines {@link DemoNarrator}'s.
 *
 * <p>Runs on the calling thread; only the shutdown hook and {@link DemoTraffic}'s background
 * calls run on others.
 */
final class DemoRun {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(45);

  private final DemoNarrator narrator;
  private final int requests;
  private final BerthRegistry.Builder registryBuilder;
  private final long startNanos = System.nanoTime();
  private final DemoSandbox sandbox;
  private volatile boolean interrupted;
  private Berth berth;

  /** {@code registryBuilder}: the demo's registry, all but its state dir. */
  DemoRun(PrintWriter out, int requests, BerthRegistry.Builder registryBuilder) {
    this.narrator = new DemoNarrator(out);
    this.requests = requests;
    this.registryBuilder = registryBuilder;
    this.sandbox = new DemoSandbox(narrator);
  }

  int run() throws Exception {
    Thread hook = new Thread(() -> {
      interrupted = true;
      narrator.say("");
      narrator.step("ctrl-c", "stopping everything");
      sandbox.close();
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
      sandbox.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down; the hook finds everything closed
      }
    }
    narrator.say("done in %.1f s. Yours next: bin/berth registry start; bin/berth run web -- <your server>; bin/berth ls",
        (System.nanoTime() - startNanos) / 1e9);
    return 0;
  }

  private void story() throws Exception {
    narrator.say("berth demo: three services that find each other by name, each its own process. "
        + "Nobody types a port.");
    String address = sandbox.open(registryBuilder);
    berth = sandbox.berth();
    narrator.step("registry", "listening on " + address + ", in this process (state and registry.log in "
        + sandbox.stateDir() + ")");

    narrator.step("start", "catalog, orders, gateway: each its own JVM (java -cp berth.jar dev.berth.samples...)");
    long t0 = System.nanoTime();
    SampleChild catalog = sandbox.startSample("catalog");
    SampleChild orders = sandbox.startSample("orders");
    SampleChild gateway = sandbox.startSample("gateway");
    awaitLive(catalog, "main");
    awaitLive(orders, "main");
    awaitLive(gateway, "http");
    narrator.note("all three live in %.1f s; orders and gateway found their peers by name",
        (System.nanoTime() - t0) / 1e9);
    noteConflicts();

    Address gatewayHttp = berth.resolve("gateway/http");
    GatewayHttp gw = new GatewayHttp(gatewayHttp);
    DemoTraffic traffic = new DemoTraffic(gw, narrator);
    narrator.step("call", "gateway by name: berth.resolve(\"gateway/http\") = " + gatewayHttp);
    GatewayHttp.Reply products = gw.get("/products");
    narrator.note("GET  /products -> %d %s", products.status(), GatewayJson.abbreviate(products.body(), 80));
    GatewayHttp.Reply first = gw.placeOrder();
    narrator.note("POST /orders %s -> %d %s", GatewayHttp.ORDER, first.status(),
        GatewayJson.abbreviate(first.body(), 70));
    traffic.placeOrders(requests, "more orders");
    gatewayMeters(gw);

    narrator.step("berth ls", "what the registry knows (berth/metrics is the registry's own /metrics and /sd):");
    printLs();

    int ordersPort = berth.resolve("orders").port();
    narrator.step("kill -9", "orders (pid " + orders.pid() + ")");
    double goneMillis = killAndWatch(orders);
    if (goneMillis < 0) {
      throw CliException.failure("orders was still listed 5 s after kill -9");
    }
    narrator.note("gone from the registry %.1f ms later: its lease stream broke; no TTL to wait for", goneMillis);
    printLs();
    GatewayHttp.Reply down = gw.placeOrder();
    narrator.note("POST /orders now fails fast: %d in %s, %s", down.status(), Latencies.millis(down.millis()),
        GatewayJson.error(down.body()));

    narrator.step("restart", "orders, the same command as before");
    SampleChild again = sandbox.startSample("orders");
    awaitLive(again, "main");
    long liveAt = System.nanoTime();
    int newPort = berth.resolve("orders").port();
    if (newPort == ordersPort) {
      narrator.note("back on 127.0.0.1:%d, the same port as before: Berth remembered its berth", newPort);
    } else {
      narrator.note("back on 127.0.0.1:%d (its old port %d was taken meanwhile)", newPort, ordersPort);
    }
    traffic.awaitOrderThrough();
    narrator.note("gateway's channel followed it by name: the first call through the new process answered "
        + "%.0f ms after it was live (a fresh JVM's first request, warming up)",
        (System.nanoTime() - liveAt) / 1e6);
    traffic.placeOrders(Math.max(1, requests / 2), "orders through the new orders process");

    narrator.step("berth top", "calls per edge for 1 s of traffic, from each service's own metrics "
        + "endpoint (berth top --once):");
    CallTop.print(traffic.during(() -> new CallTop(berth).measure(Duration.ofSeconds(1))),
        narrator.out(), DemoNarrator.INDENT);
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

  /** What gateway's own meters say about the gRPC calls it made ({@code berth.client.call.duration}). */
  private void gatewayMeters(GatewayHttp gw) throws IOException, InterruptedException {
    List<String> calls = GatewayJson.clientCalls(gw.get("/stats").body());
    if (!calls.isEmpty()) {
      narrator.note("gateway's own client meters (berth.client.call.duration):");
      for (String call : calls) {
        narrator.note("  " + call);
      }
    }
  }

  /** Kills {@code orders} and returns how many ms later a watch saw it go; -1 if not within 5 s. */
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
    LsOutput.table(InstanceRow.of(InternalBerth.registryStub(berth)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .list(ListRequest.getDefaultInstance())),
        narrator.out(), DemoNarrator.INDENT, Instant.now());
  }

  /** One line for the port conflicts the registry logged, instead of one line each. */
  private void noteConflicts() {
    // each service met the same busy ports, and the log keeps the last 50: count ports, once
    long n = InternalBerth.registryStub(berth).withDeadlineAfter(5, TimeUnit.SECONDS)
        .conflicts(ConflictsRequest.getDefaultInstance()).getConflictsList().stream()
        .mapToInt(PortConflict::getPort).distinct().count();
    if (n > 0) {
      // the state dir and its registry.log go with the demo: name no file that will be gone
      narrator.note("%d port%s of the pool %s held by other programs, so the registry handed out others "
          + "(with your own registry, berth conflicts names who held each)",
          n, n == 1 ? "" : "s", n == 1 ? "was" : "were");
    }
  }
}
