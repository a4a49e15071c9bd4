package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.berth.local.PortProbe;
import dev.berth.testing.FakeClock;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code edges} event over real loopback metrics endpoints: each serves the Prometheus text
 * of a real {@link PrometheusMeterRegistry} holding client call timers made as the client library
 * makes them, and is a live {@code metrics} endpoint of a real lease table.
 */
class DashboardEdgesTest {

  /** Ample for a loopback endpoint that answers, even a cold JVM's first scrape. */
  private static final Duration AMPLE = Duration.ofSeconds(5);
  /** For the tests of endpoints that do not answer. */
  private static final Duration SHORT = Duration.ofMillis(300);
  private static final Offset<Double> EXACT = Offset.offset(1e-9);

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock();
  private final List<HttpServer> servers = new ArrayList<>();
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Map<HttpServer, String> instanceIds = new HashMap<>();
  private LeaseTable table;
  private DashboardEdges edges;

  @BeforeEach
  void setUp() throws Exception {
    PortRange pool = TestPools.take(4);
    PortCheck probe = PortCheck.of(new PortProbe());
    StickyPorts sticky = StickyPorts.load(dir.resolve("berths.json"), Clock.systemUTC());
    table = new LeaseTable(new PortAllocator(PortPool.of(pool.first(), pool.last()), probe, sticky,
        () -> -1), probe, 20, Clock.systemUTC());
    edges = new DashboardEdges(table::list, clock.ticker(), AMPLE);
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    servers.forEach(s -> s.stop(0));
    handlers.shutdownNow();
  }

  /** A metrics endpoint serving {@code meters}, live in the table as {@code service/metrics}. */
  private HttpServer serve(String service, long pid, PrometheusMeterRegistry meters) throws IOException {
    return serve(service, pid, meters, new AtomicBoolean());
  }

  /**
   * As {@link #serve(String, long, PrometheusMeterRegistry)}; while {@code stall} is set, a
   * request gets no answer until the test ends (each request on its own thread).
   */
  private HttpServer serve(String service, long pid, PrometheusMeterRegistry meters,
      AtomicBoolean stall) throws IOException {
    return serve(service, pid, meters, stall, new AtomicInteger());
  }

  /**
   * As {@link #serve(String, long, PrometheusMeterRegistry, AtomicBoolean)}; while {@code
   * unavailable} is above 0, a request is answered 503 and takes one off.
   */
  private HttpServer serve(String service, long pid, PrometheusMeterRegistry meters,
      AtomicBoolean stall, AtomicInteger unavailable) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
    server.createContext("/metrics", exchange -> {
      if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        exchange.sendResponseHeaders(503, -1);
        exchange.close();
        return;
      }
      if (stall.get()) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.close();
        return;
      }
      byte[] body = meters.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    return start(service, pid, server);
  }

  private HttpServer start(String service, long pid, HttpServer server) {
    server.start();
    servers.add(server);
    LeaseTable.Reservation r = table.reserve(new Registration(service,
        List.of(new Registration.EndpointSpec("metrics", server.getAddress().getPort(), true)),
        pid, Map.of()), new ArrayList<>());
    table.markLive(r.instanceId(), List.of(new ListenCheck.Listening("127.0.0.1", "127.0.0.1")));
    instanceIds.put(server, r.instanceId());
    return server;
  }

  /** Calls as {@code ClientMetricsInterceptor} times them (CallTimers: a percentile histogram). */
  private static void record(PrometheusMeterRegistry meters, String caller, String service,
      String method, String status, int calls, Duration each) {
    Timer timer = Timer.builder("berth.client.call.duration")
        .description("Duration of calls to a Berth service, as the caller sees it")
        .tag("caller", caller)
        .tag("service", service)
        .tag("method", method)
        .tag("status", status)
        .publishPercentileHistogram()
        .register(meters);
    for (int i = 0; i < calls; i++) {
      timer.record(each);
    }
  }

  private static PrometheusMeterRegistry meters() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  private JsonObject json() {
    return json(edges);
  }

  private static JsonObject json(DashboardEdges edges) {
    String json = edges.json();
    assertThat(json).doesNotContain("\n");
    return JsonParser.parseString(json).getAsJsonObject();
  }

  private static boolean hasEdge(JsonObject event, String caller, String callee) {
    for (JsonElement e : event.getAsJsonArray("edges")) {
      JsonObject o = e.getAsJsonObject();
      if (o.get("caller").getAsString().equals(caller) && o.get("callee").getAsString().equals(callee)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Calls {@code edges.json()} until it has the edge, so that a test of a short bound starts
   * from an endpoint that answered once (a cold JVM's first scrape can take longer).
   */
  private static void untilAnswered(DashboardEdges edges, String caller, String callee) {
    for (int i = 0; i < 20; i++) {
      if (hasEdge(json(edges), caller, callee)) {
        return;
      }
    }
    throw new AssertionError("the edge " + caller + " -> " + callee + " never appeared");
  }

  private static JsonObject edge(JsonObject event, String caller, String callee) {
    for (JsonElement e : event.getAsJsonArray("edges")) {
      JsonObject o = e.getAsJsonObject();
      if (o.get("caller").getAsString().equals(caller) && o.get("callee").getAsString().equals(callee)) {
        return o;
      }
    }
    throw new AssertionError("no edge " + caller + " -> " + callee + " in " + event);
  }

  private static JsonObject method(JsonObject edge, String name) {
    for (JsonElement m : edge.getAsJsonArray("methods")) {
      if (m.getAsJsonObject().get("method").getAsString().equals(name)) {
        return m.getAsJsonObject();
      }
    }
    throw new AssertionError("no method " + name + " in " + edge);
  }

  private static double number(JsonObject o, String key) {
    return o.get(key).getAsDouble();
  }

  @Test
  void json_twoCallsApart_giveTheRatesErrorsAndLatenciesOfTheCallsBetween() throws Exception {
    PrometheusMeterRegistry gateway = meters();
    record(gateway, "gateway", "orders", "shop.Orders/PlaceOrder", "OK", 10, Duration.ofMillis(3));
    serve("gateway", 1234, gateway);

    JsonObject first = json();

    // no interval yet: the edge is there, idle, with the quantiles of all its calls so far
    assertThat(number(first, "intervalSeconds")).isZero();
    JsonObject idle = edge(first, "gateway", "orders");
    assertThat(number(idle, "callsPerSecond")).isZero();
    assertThat(idle.get("errorPercent").isJsonNull()).isTrue();
    assertThat(number(idle, "p50Ms")).isBetween(2.79, 3.15); // the bucket (2.796 ms, 3.146 ms]

    record(gateway, "gateway", "orders", "shop.Orders/PlaceOrder", "OK", 24, Duration.ofMillis(3));
    record(gateway, "gateway", "orders", "shop.Orders/PlaceOrder", "UNAVAILABLE", 6, Duration.ofMillis(3));
    clock.forwardTime(2, TimeUnit.SECONDS);

    JsonObject second = json();

    assertThat(number(second, "intervalSeconds")).isEqualTo(2.0);
    JsonObject placed = edge(second, "gateway", "orders");
    assertThat(number(placed, "callsPerSecond")).isCloseTo(15.0, EXACT);
    assertThat(number(placed, "errorPercent")).isCloseTo(20.0, EXACT);
    assertThat(number(placed, "p50Ms")).isBetween(2.79, 3.15);
    assertThat(number(placed, "p99Ms")).isBetween(2.79, 3.15);
    JsonObject placeOrder = method(placed, "PlaceOrder");
    assertThat(number(placeOrder, "callsPerSecond")).isCloseTo(15.0, EXACT);
    assertThat(number(placeOrder, "errorPercent")).isCloseTo(20.0, EXACT);

    clock.forwardTime(1, TimeUnit.SECONDS);

    JsonObject third = json();

    JsonObject quiet = edge(third, "gateway", "orders");
    assertThat(number(quiet, "callsPerSecond")).as("no call this interval").isZero();
    assertThat(quiet.get("errorPercent").isJsonNull()).isTrue();
    assertThat(number(quiet, "p50Ms")).as("of all calls so far").isBetween(2.79, 3.15);
  }

  @Test
  void json_perCallerAndCallee_mergesTheMethodsBucketsAndSumsTheInstances() throws Exception {
    PrometheusMeterRegistry gateway1 = meters();
    PrometheusMeterRegistry gateway2 = meters();
    serve("gateway", 1234, gateway1);
    serve("gateway", 1235, gateway2);
    json();

    // 90 fast calls and 10 slow ones, from two instances of the caller
    record(gateway1, "gateway", "orders", "shop.Orders/ListOrders", "OK", 60, Duration.ofMillis(2));
    record(gateway2, "gateway", "orders", "shop.Orders/ListOrders", "OK", 30, Duration.ofMillis(2));
    record(gateway2, "gateway", "orders", "shop.Orders/PlaceOrder", "INTERNAL", 10, Duration.ofMillis(200));
    record(gateway1, "gateway", "catalog", "shop.Catalog/Find", "OK", 5, Duration.ofMillis(2));
    clock.forwardTime(1, TimeUnit.SECONDS);

    JsonObject event = json();

    JsonArray all = event.getAsJsonArray("edges");
    assertThat(all).hasSize(2);
    JsonObject orders = edge(event, "gateway", "orders");
    assertThat(number(orders, "callsPerSecond")).isCloseTo(100.0, EXACT);
    assertThat(number(orders, "errorPercent")).isCloseTo(10.0, EXACT);
    // merged buckets: the median call is a fast one (averaged quantiles would say ~100 ms)
    assertThat(number(orders, "p50Ms")).isBetween(1.74, 2.10); // the bucket (1.748 ms, 2.097 ms]
    assertThat(number(orders, "p99Ms")).isBetween(178.9, 223.7); // (178.957 ms, 223.696 ms]
    assertThat(orders.getAsJsonArray("methods")).hasSize(2);
    JsonObject list = method(orders, "ListOrders");
    assertThat(number(list, "callsPerSecond")).isCloseTo(90.0, EXACT);
    assertThat(number(list, "errorPercent")).isZero();
    assertThat(number(list, "p99Ms")).isBetween(1.74, 2.10);
    JsonObject place = method(orders, "PlaceOrder");
    assertThat(number(place, "callsPerSecond")).isCloseTo(10.0, EXACT);
    assertThat(number(place, "errorPercent")).isCloseTo(100.0, EXACT);
    assertThat(number(place, "p50Ms")).isBetween(178.9, 223.7);
    JsonObject catalog = edge(event, "gateway", "catalog");
    assertThat(number(catalog, "callsPerSecond")).isCloseTo(5.0, EXACT);
    assertThat(catalog.getAsJsonArray("methods")).singleElement()
        .satisfies(m -> assertThat(m.getAsJsonObject().get("method").getAsString()).isEqualTo("Find"));
  }

  @Test
  void json_withAnEndpointThatHangs_answersWithinTheBoundWithTheOthers() throws Exception {
    DashboardEdges bounded = new DashboardEdges(table::list, clock.ticker(), SHORT);
    PrometheusMeterRegistry gateway = meters();
    PrometheusMeterRegistry stuck = meters();
    record(gateway, "gateway", "orders", "shop.Orders/PlaceOrder", "OK", 3, Duration.ofMillis(3));
    record(stuck, "stuck", "orders", "shop.Orders/PlaceOrder", "OK", 3, Duration.ofMillis(3));
    serve("gateway", 1234, gateway);
    serve("stuck", 1236, stuck, new AtomicBoolean(true));
    untilAnswered(bounded, "gateway", "orders");

    long t0 = System.nanoTime();
    JsonObject event = json(bounded);
    long millis = (System.nanoTime() - t0) / 1_000_000;

    assertThat(millis).as("json() took %d ms with a %s bound", millis, SHORT)
        .isLessThan(SHORT.toMillis() + 2_000);
    assertThat(hasEdge(event, "gateway", "orders")).isTrue();
    assertThat(hasEdge(event, "stuck", "orders")).as("it never answered").isFalse();
  }

  @Test
  void json_withAnEndpointSlowForOneInterval_countsItsCallsInTheNextNotAllItEverCounted()
      throws Exception {
    DashboardEdges bounded = new DashboardEdges(table::list, clock.ticker(), SHORT);
    PrometheusMeterRegistry gateway = meters();
    record(gateway, "gateway", "orders", "shop.Orders/PlaceOrder", "OK", 100, Duration.ofMillis(3));
    AtomicBoolean stall = new AtomicBoolean();
    serve("gateway", 1234, gateway, stall);
    untilAnswered(bounded, "gateway", "orders");

    record(gateway, "gateway", "orders", "shop.Orders/PlaceOrder", "OK", 20, Duration.ofMillis(3));
    stall.set(true);
    clock.forwardTime(1, TimeUnit.SECONDS);
    JsonObject slow = json(bounded);

    assertThat(number(edge(slow, "gateway", "orders"), "callsPerSecond"))
        .as("nothing known to be new while it did not answer").isZero();

    stall.set(false);
    clock.forwardTime(1, TimeUnit.SECONDS);
    JsonObject next = json(bounded);

    assertThat(number(edge(next, "gateway", "orders"), "callsPerSecond"))
        .as("the 20 calls since its last answer, not all 120").isCloseTo(20.0, EXACT);
  }

  @Test
  void json_withAnEndpointThatNeverAnsweredYet_takesItsFirstAnswerAsTheStartNotAsNewCalls()
      throws Exception {
    DashboardEdges bounded = new DashboardEdges(table::list, clock.ticker(), SHORT);
    PrometheusMeterRegistry gateway = meters();
    record(gateway, "gateway", "orders", "shop.Orders/PlaceOrder", "OK", 100, Duration.ofMillis(3));
    AtomicBoolean stall = new AtomicBoolean(true);
    serve("gateway", 1234, gateway, stall);
    json(bounded);
    clock.forwardTime(1, TimeUnit.SECONDS);
    assertThat(json(bounded).getAsJsonArray("edges")).as("nothing known yet").isEmpty();

    stall.set(false);
    JsonObject first;
    int tries = 0;
    do { // its first answer may itself miss the bound in a cold JVM
      clock.forwardTime(1, TimeUnit.SECONDS);
      first = json(bounded);
    } while (!hasEdge(first, "gateway", "orders") && ++tries < 20);

    assertThat(number(edge(first, "gateway", "orders"), "callsPerSecond"))
        .as("its 100 calls were made before, not in this second").isZero();

    record(gateway, "gateway", "orders", "shop.Orders/PlaceOrder", "OK", 10, Duration.ofMillis(3));
    clock.forwardTime(1, TimeUnit.SECONDS);

    assertThat(number(edge(json(bounded), "gateway", "orders"), "callsPerSecond")).isCloseTo(10.0, EXACT);
  }

  @Test
  void json_withAnEndpointRefusedOnce_countsItsCallsSinceItsLastAnswerNotAllItEverCounted()
      throws Exception {
    PrometheusMeterRegistry gateway = meters();
    record(gateway, "gateway", "orders", "shop.Orders/PlaceOrder", "OK", 100, Duration.ofMillis(3));
    AtomicInteger unavailable = new AtomicInteger();
    serve("gateway", 1234, gateway, new AtomicBoolean(), unavailable);
    json();
    clock.forwardTime(1, TimeUnit.SECONDS);
    assertThat(number(edge(json(), "gateway", "orders"), "callsPerSecond")).isZero();

    unavailable.set(1);
    clock.forwardTime(1, TimeUnit.SECONDS);
    JsonObject refused = json();

    assertThat(unavailable).as("the 503 was sent").hasValue(0);
    assertThat(number(edge(refused, "gateway", "orders"), "callsPerSecond"))
        .as("nothing known to be new while it answered 503").isZero();

    record(gateway, "gateway", "orders", "shop.Orders/PlaceOrder", "OK", 4, Duration.ofMillis(3));
    clock.forwardTime(1, TimeUnit.SECONDS);
    JsonObject next = json();

    assertThat(number(edge(next, "gateway", "orders"), "callsPerSecond"))
        .as("the 4 calls since its last answer, not all 104").isCloseTo(4.0, EXACT);
  }

  @Test
  void json_keepsAnEndpointThatIsGoneIdleUntilItIsNoLongerListed_andSkipsTheRegistrysOwn()
      throws Exception {
    PrometheusMeterRegistry gateway = meters();
    PrometheusMeterRegistry gone = meters();
    PrometheusMeterRegistry own = meters();
    record(gateway, "gateway", "orders", "shop.Orders/PlaceOrder", "OK", 3, Duration.ofMillis(3));
    record(gone, "web", "orders", "shop.Orders/PlaceOrder", "OK", 3, Duration.ofMillis(3));
    record(own, "berth", "orders", "shop.Orders/PlaceOrder", "OK", 3, Duration.ofMillis(3));
    serve("gateway", 1234, gateway);
    HttpServer web = serve("web", 1237, gone);
    serve(RegistryServer.SELF_SERVICE, ProcessHandle.current().pid(), own);
    assertThat(json().getAsJsonArray("edges")).hasSize(2); // gateway's and web's, not berth's

    web.stop(0); // killed: its lease is not over yet
    clock.forwardTime(1, TimeUnit.SECONDS);
    JsonObject refused = json();

    assertThat(number(edge(refused, "web", "orders"), "callsPerSecond")).as("refused: idle").isZero();
    assertThat(refused.getAsJsonArray("edges")).hasSize(2);

    table.remove(instanceIds.get(web)); // its lease ended
    clock.forwardTime(1, TimeUnit.SECONDS);
    JsonObject event = json();

    assertThat(event.getAsJsonArray("edges")).singleElement().satisfies(e -> {
      assertThat(e.getAsJsonObject().get("caller").getAsString()).isEqualTo("gateway");
    });
  }

  @Test
  void json_thenNoCallForTheIdleTime_letsTheClientGo_itsNamedThreadAndTheJdksSelectorThreadEnd()
      throws Exception {
    Duration idle = Duration.ofSeconds(1);
    DashboardEdges idling = new DashboardEdges(table::list, clock.ticker(), AMPLE, idle);
    PrometheusMeterRegistry gateway = meters();
    record(gateway, "gateway", "orders", "shop.Orders/PlaceOrder", "OK", 3, Duration.ofMillis(3));
    serve("gateway", 1234, gateway);
    Set<Thread> before = Thread.getAllStackTraces().keySet();

    assertThat(hasEdge(json(idling), "gateway", "orders")).isTrue();

    List<Thread> made = new ArrayList<>(Thread.getAllStackTraces().keySet());
    made.removeAll(before);
    List<Thread> scrape = named(made, DashboardEdges.THREAD_PREFIX + "\\d+");
    List<Thread> selector = named(made, "HttpClient-\\d+-SelectorManager");
    assertThat(scrape).as("the client's executor: one named daemon thread, in %s", made)
        .singleElement().satisfies(t -> assertThat(t.isDaemon()).isTrue());
    assertThat(named(made, "HttpClient-.*-Worker-.*")).as("no JDK worker threads").isEmpty();
    assertThat(selector).as("the JDK's selector thread of the client, in %s", made).hasSize(1);

    // let go after one to two idle times without a call; its selector thread once collected
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while ((scrape.get(0).isAlive() || selector.get(0).isAlive()) && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(100);
    }
    assertThat(scrape.get(0).isAlive()).as("berth-dashboard-scrape thread still running").isFalse();
    assertThat(selector.get(0).isAlive()).as("the JDK's selector thread still running").isFalse();

    clock.forwardTime(1, TimeUnit.SECONDS);
    assertThat(hasEdge(json(idling), "gateway", "orders")).as("a new client for the next call").isTrue();
  }

  private static List<Thread> named(List<Thread> threads, String regex) {
    return threads.stream().filter(t -> t.getName().matches(regex)).collect(Collectors.toList());
  }
}
