package dev.berth.cli.internal;

import dev.berth.cli.internal.stack.StackFile;
import dev.berth.cli.internal.stack.Supervisor;
import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.local.internal.Latencies;
import dev.berth.proto.v1.ConflictsRequest;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.PortConflict;
import dev.berth.proto.v1.StackProcess;
import dev.berth.registry.BerthRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The story {@code berth demo} tells: an in-process registry on port 0 in a temp state dir (its
 * pool as {@code --ports} or {@code $BERTH_PORTS} say), the sample stack
 * ({@code sample-services/berth.yaml}: catalog, orders, gateway and web, a Python program) run
 * by the supervisor {@code berth up} runs, in dependency order with one log, calls by name,
 * {@code kill -9} and the supervisor's restart on the same port, and at the end the dashboard's
 * URL ({@link DemoDashboard}), the stack kept up until Enter on a terminal. What it starts and how that is
 * cleaned up, also on Ctrl-C through a shutdown hook, is {@link DemoSandbox}'s; the calls are
 * {@link GatewayHttp}'s and the load they add up to {@link DemoTraffic}'s, reading gateway's JSON
 * {@link GatewayJson}'s, the lines {@link DemoNarrator}'s and the stack's log {@link DemoLog}'s.
 *
 * <p>Runs on the calling thread; the shutdown hook, the supervisor's threads and
 * {@link DemoTraffic}'s background calls run on others.
 */
final class DemoRun {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final DemoNarrator narrator;
  private final int requests;
  private final BerthRegistry.Builder registryBuilder;
  private final long startNanos = System.nanoTime();
  private final DemoSandbox sandbox;
  private volatile boolean interrupted;
  private Berth berth;
  private DemoTraffic traffic; // set by the story once gateway is live

  /** {@code registryBuilder}: the demo's registry, all but its state dir. */
  DemoRun(PrintWriter out, PrintWriter err, int requests, BerthRegistry.Builder registryBuilder) {
    this.narrator = new DemoNarrator(out);
    this.requests = requests;
    this.registryBuilder = registryBuilder;
    this.sandbox = new DemoSandbox(narrator, err);
  }

  int run() throws Exception {
    Thread hook = new Thread(() -> {
      interrupted = true;
      narrator.say("");
      narrator.step("ctrl-c", "stopping everything");
      sandbox.close();
    }, "berth-demo-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    double storySeconds;
    try {
      story();
      storySeconds = (System.nanoTime() - startNanos) / 1e9; // not the time spent looking at the page
      DemoDashboard.show(narrator, sandbox.stateDir(), traffic, DemoDashboard.onTerminal()
          ? new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())) : null);
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
    narrator.say("done in %.1f s. Yours next: cd sample-services && ../bin/berth up, then berth dashboard; "
        + "then a berth.yaml of your own", storySeconds);
    return 0;
  }

  private void story() throws Exception {
    StackFile stack = DemoStack.load(); // a bad file fails here, before anything starts
    narrator.say("berth demo: five services (one of them Spring Boot) that find each other by name, each "
        + "its own process, run as one stack. Nobody types a port.");
    String address = sandbox.open(registryBuilder, stack.namespace());
    berth = sandbox.berth();
    narrator.step("registry", "listening on " + address + ", in this process (state and registry.log in "
        + sandbox.stateDir() + ")");

    narrator.step("berth up", "sample-services/berth.yaml, run as `cd sample-services && berth up` runs it: "
        + "each service starts once what it depends on is live; one log:");
    Instant t0 = Instant.now();
    Supervisor supervisor = sandbox.up(stack, new DemoLog(narrator, stack));
    if (!supervisor.awaitLive(START_TIMEOUT)) {
      throw CliException.failure("the sample stack was not live within " + START_TIMEOUT.toSeconds()
          + " s: " + notLive(supervisor));
    }
    narrator.note("all %d live in %.1f s, in dependency order (lease times in the registry): %s",
        stack.services().size(), Duration.between(t0, Instant.now()).toMillis() / 1e3, liveOrder(stack, t0));
    noteConflicts();

    Address gatewayHttp = berth.resolve("gateway/http");
    GatewayHttp gw = new GatewayHttp(gatewayHttp);
    traffic = new DemoTraffic(gw, narrator);
    narrator.step("call", "gateway by name: berth.resolve(\"gateway/http\") = " + gatewayHttp);
    GatewayHttp.Reply products = gw.get("/products");
    narrator.note("GET  /products -> %d %s", products.status(), GatewayJson.abbreviate(products.body(), 80));
    GatewayHttp.Reply first = gw.placeOrder();
    narrator.note("POST /orders %s -> %d %s", GatewayHttp.ORDER, first.status(),
        GatewayJson.abbreviate(first.body(), 70));
    GatewayHttp.Reply stock = gw.get("/stock/tea");
    narrator.note("GET  /stock/tea -> %d %s (gateway asked inventory, Spring Boot, by name: inventory/http)",
        stock.status(), GatewayJson.abbreviate(stock.body(), 60));
    Address web = berth.resolve("web/http");
    narrator.note("web, the Python program (no Berth library), at berth.resolve(\"web/http\") = %s; it was "
        + "given GATEWAY_URL=${gateway/http.url}:", web);
    GatewayHttp.Reply page = new GatewayHttp(web).get("/products.json");
    narrator.note("GET  /products.json -> %d %s", page.status(), GatewayJson.abbreviate(page.body(), 80));
    traffic.placeOrders(requests, "more orders");
    gatewayMeters(gw);

    narrator.step("berth ls", "what the registry knows (berth/metrics is the registry's own /metrics and /sd):");
    printLs();

    Address orders = berth.resolve("orders");
    long ordersPid = process(supervisor, "orders").getPid();
    long gatewayPid = process(supervisor, "gateway").getPid();
    long webPid = process(supervisor, "web").getPid();
    narrator.step("kill -9", "orders (pid " + ordersPid + ")");
    double goneMillis = killAndWatch(ordersPid);
    if (goneMillis < 0) {
      throw CliException.failure("orders was still listed 5 s after kill -9");
    }
    narrator.note("gone from the registry %.1f ms later: its lease stream broke; no TTL to wait for", goneMillis);
    GatewayHttp.Reply down = gw.placeOrder();
    narrator.note("POST /orders meanwhile fails fast: %d in %s, %s", down.status(), Latencies.millis(down.millis()),
        GatewayJson.error(down.body()));

    narrator.step("restart", "nobody types anything: the supervisor saw orders exit and starts it again");
    Instance again = awaitRestarted("orders", ordersPid);
    long liveAt = System.nanoTime();
    int newPort = again.getEndpoints(0).getPort();
    if (newPort == orders.port()) {
      narrator.note("back on 127.0.0.1:%d, the same port as before (pid %d): Berth remembered its berth",
          newPort, again.getPid());
    } else {
      narrator.note("back on 127.0.0.1:%d (its old port %d was taken meanwhile)", newPort, orders.port());
    }
    narrator.note("its dependents kept running: gateway (pid %d) and web (pid %d) were not restarted",
        process(supervisor, "gateway").getPid(), process(supervisor, "web").getPid());
    if (process(supervisor, "gateway").getPid() != gatewayPid || process(supervisor, "web").getPid() != webPid) {
      throw CliException.failure("a dependent of orders was restarted with it");
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

  /** The first instance of {@code service} in the supervisor's state. */
  private static StackProcess process(Supervisor supervisor, String service) {
    return supervisor.status().getProcessesList().stream()
        .filter(p -> p.getService().equals(service)).findFirst()
        .orElseThrow(() -> CliException.failure("the stack has no " + service));
  }

  private static String notLive(Supervisor supervisor) {
    return supervisor.status().getProcessesList().stream()
        .filter(p -> !p.getState().equals("live"))
        .map(p -> p.getService() + " " + p.getState() + (p.getDetail().isEmpty() ? "" : " (" + p.getDetail() + ")"))
        .collect(Collectors.joining(", "));
  }

  /** {@code catalog +1.2 s, orders +2.6 s, ...}: each service's live_since in the registry, in that order. */
  private String liveOrder(StackFile stack, Instant t0) {
    List<Instance> instances = InternalBerth.registryStub(berth).withDeadlineAfter(5, TimeUnit.SECONDS)
        .list(ListRequest.newBuilder().setNamespace(stack.namespace()).build()).getInstancesList();
    return instances.stream()
        .filter(i -> stack.service(i.getService()).isPresent())
        .sorted(Comparator.comparingLong((Instance i) -> i.getLiveSince().getSeconds())
            .thenComparingInt(i -> i.getLiveSince().getNanos()))
        .map(i -> String.format(java.util.Locale.ROOT, "%s +%.1f s", i.getService(),
            Duration.between(t0, Instant.ofEpochSecond(i.getLiveSince().getSeconds(),
                i.getLiveSince().getNanos())).toMillis() / 1e3))
        .collect(Collectors.joining(", "));
  }

  /** The registry's instance of {@code service} once a process other than {@code oldPid} holds it. */
  private Instance awaitRestarted(String service, long oldPid) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (Instance i : InternalBerth.registryStub(berth).withDeadlineAfter(5, TimeUnit.SECONDS)
          .list(ListRequest.newBuilder().setNamespace(berth.namespace()).build()).getInstancesList()) {
        if (i.getService().equals(service) && i.getPid() != oldPid) {
          return i;
        }
      }
      Thread.sleep(20);
    }
    throw CliException.failure(service + " was not live again within " + START_TIMEOUT.toSeconds()
        + " s of its kill -9");
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

  /** Kills {@code pid} and returns how many ms later a watch saw orders go; -1 if not within 5 s. */
  private double killAndWatch(long pid) throws Exception {
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
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
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
