package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.berth.cli.internal.stack.StackNamespace;
import dev.berth.local.StateDir;
import dev.berth.local.internal.ProcStat;
import dev.berth.local.internal.StackStateFile;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real headless Chromium, against a real registry and a real stack: the
 * sample catalog, orders and gateway run by {@code berth up}, calling each other by name, with
 * traffic through the gateway. One registry, one stack and one browser for the whole class
 * (each is seconds to start on two cores); the tests run in order, the last one killing the
 * registry. Each saves a screenshot under {@code target/dashboard-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

  private static final List<String> SERVICES = List.of("catalog", "orders", "gateway");
  /** The edge label of docs/dashboard.md: "81.2/s · 0% · p50 3.1 ms · p99 29 ms". */
  private static final String LABEL = "\\d+(\\.\\d+)?/s · \\d+(\\.\\d+)?% · p50 \\d+(\\.\\d+)? ms · p99 \\d+(\\.\\d+)? ms";

  private Path temp; // the class's: given to @BeforeAll, removed after @AfterAll
  private BerthJar berth;
  private BerthJar.Started registry;
  private BerthJar.Started up;
  private Path stackFile;
  private String namespace;
  private StackStateFile stackState;
  private DashboardWire wire;
  private HeadlessChromium chromium;
  private GatewayTraffic traffic;
  private DashboardPage page;
  private String screenshot; // the name the running test's screenshot gets

  @BeforeAll
  void startRegistryStackAndBrowser(@TempDir Path dir) throws Exception {
    HeadlessChromium.assumeInstalled(); // before anything slow is started
    temp = dir;
    berth = new BerthJar(temp);
    registry = startRegistry("0");
    wire = new DashboardWire(httpAddress());

    Path shop = Files.createDirectories(temp.resolve("shop"));
    stackFile = Files.writeString(shop.resolve("berth.yaml"), stackYaml());
    namespace = StackNamespace.forDir(shop);
    stackState = StackStateFile.of(berth.home(), namespace);
    up = berth.start("up", "-f", stackFile.toString());
    chromium = HeadlessChromium.start(temp); // while the stack's JVMs start
    awaitStackLive();
    traffic = GatewayTraffic.start(process("gateway").getPortsMap().get("http"));
    page = new DashboardPage(chromium.driver, namespace);
    chromium.driver.get(wire.pageUrl());
  }

  /**
   * The three samples, all at once (no depends_on: they find each other by name when they call,
   * and two cores start three JVMs sooner together than one after another).
   */
  private static String stackYaml() {
    String java = "[" + BerthJar.java() + ", -XX:+UseSerialGC, -XX:TieredStopAtLevel=1, -Xss512k, -Xmx128m, -cp, "
        + BerthJar.JAR + ", dev.berth.samples.";
    return "services:\n"
        + "  catalog:\n    command: " + java + "catalog.CatalogMain]\n    endpoints: [main, metrics]\n    lease: self\n"
        + "  orders:\n    command: " + java + "orders.OrdersMain]\n    endpoints: [main, metrics]\n    lease: self\n"
        + "  gateway:\n    command: " + java + "gateway.GatewayMain]\n    endpoints: [http, metrics]\n    lease: self\n";
  }

  /** {@code berth registry --port port} in the foreground, once it listens. */
  private BerthJar.Started startRegistry(String port) throws Exception {
    BerthJar.Started started = berth.start("registry", "--port", port);
    started.awaitLine("listening on", Duration.ofSeconds(30));
    return started;
  }

  /** The registry's HTTP side from registry.json, once it is written (after the gRPC port answers). */
  private String httpAddress() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      var info = StateDir.of(berth.home()).readRegistryInfo();
      if (info.isPresent() && !info.get().getHttpAddress().isEmpty()) {
        return info.get().getHttpAddress();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no http_address in registry.json within 10 s: "
        + StateDir.of(berth.home()).readRegistryInfo());
  }

  private void awaitStackLive() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Optional<StackState> s = stackState.read();
      if (s.isPresent() && s.get().getProcessesCount() == SERVICES.size()
          && s.get().getProcessesList().stream().allMatch(p -> p.getState().equals("live"))) {
        return;
      }
      if (!up.process.isAlive()) {
        throw new AssertionError("berth up exited " + up.process.exitValue() + "\n" + up.out() + up.err());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the stack was not live within 60 s: " + stackState.read() + "\n" + up.out() + up.err());
  }

  private StackProcess process(String service) throws Exception {
    return stackState.read().orElseThrow().getProcessesList().stream()
        .filter(p -> p.getService().equals(service)).findFirst().orElseThrow();
  }

  @AfterEach
  void saveScreenshot() throws Exception {
    if (screenshot != null && chromium != null) {
      System.out.println("screenshot " + chromium.screenshot(screenshot));
    }
  }

  @AfterAll
  void stopEverything() throws Exception {
    try {
      BerthJar.closeAll(traffic, chromium);
    } finally {
      if (up != null && up.process.isAlive()) {
        ProcessHandle.of(up.process.pid()).ifPresent(ProcessHandle::destroy); // SIGTERM: it stops its children
        up.process.waitFor(20, TimeUnit.SECONDS);
      }
      // whatever it left: the supervisor's children are in sessions of their own
      Optional<StackState> left = stackState == null ? Optional.empty() : stackState.read();
      for (StackProcess p : left.map(StackState::getProcessesList).orElse(List.of())) {
        if (ProcStat.sameProcess(p.getPid(), p.getStartTicks())) {
          ProcessHandle.of(p.getPid()).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      if (berth != null) {
        berth.close();
      }
    }
  }

  // --- the tests

  @Test
  @Order(1)
  void map_showsEveryServiceOfTheRunningStack_withItsAddress() throws Exception {
    screenshot = "map";
    page.waitUpTo(Duration.ofSeconds(10)).withMessage("#connection live")
        .until(d -> "live".equals(page.connectionState()));
    for (String service : SERVICES) {
      WebElement node = page.waitUpTo(Duration.ofSeconds(5)).withMessage(page.node(service) + " with one live instance")
          .until(d -> page.all(page.node(service)).stream().filter(n -> "1".equals(n.getAttribute("data-instances")))
              .findFirst().orElse(null));
      StackProcess p = process(service);
      String endpoint = service.equals("gateway") ? "http" : "main";
      assertThat(page.text(node)).as(service).contains("127.0.0.1:" + p.getPortsMap().get(endpoint));
      page.waitUpTo(Duration.ofSeconds(5)).withMessage("pid " + p.getPid() + " of " + service + " in table#instances")
          .until(d -> page.pidShown(p.getPid()));
    }
    assertThat(page.all("svg#map g.node[data-service]")).as("a node per service, no more")
        .extracting(n -> n.getAttribute("data-service") + "/" + n.getAttribute("data-namespace"))
        .containsAll(SERVICES.stream().map(s -> s + "/" + namespace).toList())
        .doesNotHaveDuplicates();
    assertThat(page.all("#owner[data-owner='false']")).as("not signed in").hasSize(1);
  }

  @Test
  @Order(2)
  void afterCalls_theEdgesBetweenServices_showARateAndTheirLabel() {
    screenshot = "edges";
    for (String[] e : List.of(new String[] {"gateway", "orders"}, new String[] {"orders", "catalog"},
        new String[] {"gateway", "catalog"})) {
      WebElement edge = page.waitUpTo(Duration.ofSeconds(15))
          .withMessage(page.edge(e[0], e[1]) + " with data-calls-per-second > 0 (" + traffic.ok() + " calls answered)")
          .until(d -> page.all(page.edge(e[0], e[1])).stream()
              .filter(x -> Double.parseDouble(x.getAttribute("data-calls-per-second")) > 0)
              .findFirst().orElse(null));
      assertThat(page.text(edge)).as(page.edge(e[0], e[1])).containsPattern(LABEL);
    }
    assertThat(traffic.ok()).as("calls answered 200").isPositive();
  }

  @Test
  @Order(3)
  void killMinus9OfAnInstance_leavesThePageWithinASecond_thenItComesBackOnItsPort() throws Exception {
    screenshot = "restarted-after-kill";
    StackProcess catalog = process("catalog");
    JsonObject killed = wire.instance(namespace, "catalog", i -> i.get("pid").getAsLong() == catalog.getPid())
        .orElseThrow(() -> new AssertionError("no catalog instance with pid " + catalog.getPid() + " in the state event"));
    String killedId = killed.get("instanceId").getAsString();
    int port = DashboardWire.portOf(killed, "main");
    page.waitUpTo(Duration.ofSeconds(5)).withMessage("rows of " + killedId)
        .until(d -> !page.instanceRows(killedId).isEmpty());

    long killedAt = System.nanoTime();
    assertThat(ProcessHandle.of(catalog.getPid()).orElseThrow().destroyForcibly()).isTrue(); // SIGKILL
    boolean left = false;
    while (!left && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(1)) {
      left = page.instanceGone(killedId, "catalog");
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    System.out.println("screenshot " + chromium.screenshot("killed"));
    assertThat(left).as("instance %s (pid %d) off the page within 1 s of its kill -9 (checked until %d ms)",
        killedId, catalog.getPid(), tookMillis).isTrue();
    System.out.println("kill -9 of catalog: off the page in <= " + tookMillis + " ms");

    // the supervisor starts it again, on the same port: a new pid in stack.json (read there, not by
    // polling the event stream, whose connections count against its limit until the next write)
    StackProcess again = page.waitUpTo(Duration.ofSeconds(30)).withMessage("catalog live again in stack.json")
        .until(d -> {
          try {
            StackProcess p = process("catalog");
            // pid 0: the supervisor has seen the exit and not yet marked it (it still says live)
            return p.getPid() != 0 && p.getPid() != catalog.getPid() && p.getState().equals("live") ? p : null;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    JsonObject back = wire.instance(namespace, "catalog", i -> i.get("pid").getAsLong() == again.getPid())
        .orElseThrow(() -> new AssertionError("no catalog instance with pid " + again.getPid() + " in the state event"));
    assertThat(back.get("instanceId").getAsString()).isNotEqualTo(killedId);
    assertThat(DashboardWire.portOf(back, "main")).isEqualTo(port);
    String backId = back.get("instanceId").getAsString();
    page.waitUpTo(Duration.ofSeconds(5)).withMessage("rows of " + backId + " and " + page.node("catalog") + " live")
        .until(d -> !page.instanceRows(backId).isEmpty() && page.all(page.node("catalog")).stream()
            .anyMatch(n -> "1".equals(n.getAttribute("data-instances"))));
    assertThat(page.pidShown(back.get("pid").getAsLong())).isTrue();
    assertThat(page.instanceRows(killedId)).isEmpty();
  }

  @Test
  @Order(4)
  void signedInThroughAOneTimeUrl_theRestartButtonRestartsAService_withoutSignIn_refused() throws Exception {
    screenshot = "restarted-by-button";
    // a reader: the buttons are there but disabled, and the action itself is 401
    WebElement restart = page.waitUpTo(Duration.ofSeconds(5)).withMessage(page.button("restart", "orders"))
        .until(d -> page.all(page.button("restart", "orders")).stream().findFirst().orElse(null));
    assertThat(restart.isEnabled()).as("restart for a reader").isFalse();
    assertThat(page.all(page.button("stop", "orders"))).singleElement().matches(b -> !b.isEnabled(), "stop disabled");
    StackProcess before = process("orders");
    String action = "/dashboard/actions/restart?namespace=" + namespace + "&service=orders";
    HttpResponse<String> anonymous = wire.post(action);
    assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
    assertThat(anonymous.body().strip()).doesNotContain("\n").isNotEmpty();
    assertThat(wire.get(action).statusCode()).as("GET changes nothing").isEqualTo(405);
    assertThat(wire.post("/v1/dashboard/codes").statusCode()).as("a code without the token").isEqualTo(401);

    String token = StateDir.of(berth.home()).readToken().orElseThrow();
    chromium.driver.get(wire.pageUrl() + "login?code=" + wire.mintCode(token));
    page.waitUpTo(Duration.ofSeconds(10)).withMessage("signed in: back on /dashboard/ with #owner[data-owner=true]")
        .until(d -> wire.pageUrl().equals(d.getCurrentUrl()) && !page.all("#owner[data-owner='true']").isEmpty());
    Cookie cookie = chromium.driver.manage().getCookieNamed("berth-dashboard-" + wire.port());
    assertThat(cookie).as("the owner cookie").isNotNull();
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
    assertThat(cookie.getPath()).isEqualTo("/dashboard");
    // a random session of the registry's memory, Max-Age 12 h: not a value good for the token's life
    assertThat(cookie.getValue()).matches("[A-Za-z0-9_-]{22}");
    assertThat(cookie.getExpiry()).as("expiry: Max-Age=43200").isNotNull();
    assertThat(Duration.ofMillis(cookie.getExpiry().getTime() - System.currentTimeMillis()))
        .isBetween(Duration.ofHours(12).minusMinutes(5), Duration.ofHours(12));
    assertThat(chromium.driver.getPageSource()).as("the token never reaches the page").doesNotContain(token);
    int restartsBefore = before.getRestarts();
    page.waitUpTo(Duration.ofSeconds(5)).withMessage(page.stackRow("orders") + "[data-restarts=" + restartsBefore + "]")
        .until(d -> !page.all(page.stackRow("orders") + "[data-restarts='" + restartsBefore + "']").isEmpty());

    WebElement enabled = page.waitUpTo(Duration.ofSeconds(5)).withMessage(page.button("restart", "orders") + " enabled")
        .until(d -> page.all(page.button("restart", "orders")).stream().filter(WebElement::isEnabled).findFirst().orElse(null));
    enabled.click();

    StackProcess after = page.waitUpTo(Duration.ofSeconds(30)).withMessage("orders restarted in stack.json")
        .until(d -> {
          try {
            StackProcess p = process("orders");
            return p.getPid() != 0 && p.getPid() != before.getPid() && p.getState().equals("live") ? p : null;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(after.getRestarts()).isEqualTo(restartsBefore + 1);
    page.waitUpTo(Duration.ofSeconds(5))
        .withMessage(page.stackRow("orders") + " live, data-restarts=" + after.getRestarts() + ", pid " + after.getPid())
        .until(d -> !page.all(page.stackRow("orders") + "[data-state='live'][data-restarts='" + after.getRestarts() + "']")
            .isEmpty() && page.pidShown(after.getPid()));
    assertThat(page.pidShown(before.getPid())).as("the old pid").isFalse();

    BerthJar.Result ps = berth.run("ps", "-f", stackFile.toString(), "--json");
    assertThat(ps.exitCode).as(ps.toString()).isZero();
    Map<String, JsonObject> rows = JsonParser.parseString(ps.out).getAsJsonArray().asList().stream()
        .map(JsonElement::getAsJsonObject).collect(Collectors.toMap(o -> o.get("service").getAsString(), o -> o));
    assertThat(rows.get("orders").get("pid").getAsLong()).isEqualTo(after.getPid());
    assertThat(rows.get("orders").get("restarts").getAsInt()).isEqualTo(restartsBefore + 1);
  }

  @Test
  @Order(5)
  void foreignHostIsRefused_pageHasItsCsp_registryGoneAndBackShownPlainly() throws Exception {
    screenshot = "registry-back";
    String port = Integer.toString(wire.port());
    assertThat(wire.rawGet("/dashboard/", "127.0.0.1:" + port)).as("the same request, a loopback Host")
        .startsWith("HTTP/1.1 200");
    for (String foreign : List.of("evil.example:" + port, "127.0.0.1.nip.io:" + port, "localhost.evil.example")) {
      assertThat(wire.rawGet("/dashboard/", foreign)).as("Host: " + foreign).startsWith("HTTP/1.1 403");
    }
    HttpResponse<String> index = wire.get("/dashboard/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Security-Policy").map(DashboardBrowserIT::directives))
        .hasValue(List.of("default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
            "connect-src 'self'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'"));
    assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(index.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
    assertThat(index.headers().firstValue("Cache-Control")).hasValue("no-store");

    String httpAddress = httpAddress();
    String address = StateDir.of(berth.home()).readRegistryInfo().orElseThrow().getAddress();
    assertThat(ProcessHandle.of(registry.process.pid()).orElseThrow().destroyForcibly()).isTrue(); // SIGKILL
    registry.process.waitFor(10, TimeUnit.SECONDS);
    page.waitUpTo(Duration.ofSeconds(5)).withMessage("#connection[data-state=gone] once the registry is killed")
        .until(d -> "gone".equals(page.connectionState()));
    System.out.println("screenshot " + chromium.screenshot("registry-gone"));

    // on its own port again, as a registry on its default port comes back
    registry = startRegistry(address.substring(address.lastIndexOf(':') + 1));
    assertThat(httpAddress()).as("the HTTP side on its remembered berth").isEqualTo(httpAddress);
    page.waitUpTo(Duration.ofSeconds(10)).withMessage("#connection[data-state=live] once the registry is back")
        .until(d -> "live".equals(page.connectionState()));
    page.waitUpTo(Duration.ofSeconds(10)).withMessage("the stack's nodes back on the map")
        .until(d -> SERVICES.stream().allMatch(s -> !page.all(page.node(s)).isEmpty()));
  }

  private static List<String> directives(String csp) {
    return Arrays.stream(csp.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
