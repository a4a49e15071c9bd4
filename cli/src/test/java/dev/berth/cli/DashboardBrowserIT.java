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
import java.util.function.Predicate;
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
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

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
  private String screenshot; // the name the running test's screenshot gets

  @BeforeAll
  void startRegistryStackAndBrowser(@TempDir Path dir) throws Exception {
    HeadlessChromium.assumeInstalled(); // before anything slow is started
    temp = dir;
    berth = new BerthJar(temp);
    registry = startRegistry();
    wire = new DashboardWire(httpAddress());

    Path shop = Files.createDirectories(temp.resolve("shop"));
    stackFile = Files.writeString(shop.resolve("berth.yaml"), stackYaml());
    namespace = StackNamespace.forDir(shop);
    stackState = StackStateFile.of(berth.home(), namespace);
    up = berth.start("up", "-f", stackFile.toString());
    chromium = HeadlessChromium.start(temp); // while the stack's JVMs start
    awaitStackLive();
    traffic = GatewayTraffic.start(process("gateway").getPortsMap().get("http"));
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

  private BerthJar.Started startRegistry() throws Exception {
    BerthJar.Started started = berth.start("registry", "--port", "0");
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

  // --- the page, through the browser

  private WebDriverWait waitUpTo(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(chromium.driver, timeout, Duration.ofMillis(25));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  private Object js(String script, Object... args) {
    return chromium.driver.executeScript(script, args);
  }

  private String connectionState() {
    return chromium.driver.findElement(By.id("connection")).getAttribute("data-state");
  }

  private List<WebElement> all(String css) {
    return chromium.driver.findElements(By.cssSelector(css));
  }

  private String node(String service) {
    return "svg#map g.node[data-service='" + service + "'][data-namespace='" + namespace + "']";
  }

  private String edge(String caller, String callee) {
    return "svg#map g.edge[data-caller='" + caller + "'][data-callee='" + callee + "']";
  }

  private String stackRow(String service) {
    return "section#stacks .stack[data-namespace='" + namespace + "'] tr[data-service='" + service + "'][data-instance='1']";
  }

  private String button(String action, String service) {
    return "section#stacks .stack[data-namespace='" + namespace + "'] button[data-action='" + action
        + "'][data-service='" + service + "']";
  }

  private String text(WebElement element) {
    return String.valueOf(js("return arguments[0].textContent;", element));
  }

  /** The cells' texts of each instances-table row of {@code instanceId}. */
  @SuppressWarnings("unchecked")
  private List<List<String>> instanceRows(String instanceId) {
    return (List<List<String>>) js("return Array.from(document.querySelectorAll("
        + "'table#instances tbody tr')).filter(r => r.dataset.instanceId === arguments[0])"
        + ".map(r => Array.from(r.cells).map(c => c.textContent.trim()));", instanceId);
  }

  /** True when some instances-table row has a cell that is exactly {@code pid}. */
  private boolean pidShown(long pid) {
    return Boolean.TRUE.equals(js("return Array.from(document.querySelectorAll('table#instances tbody tr td'))"
        + ".some(c => c.textContent.trim() === arguments[0]);", Long.toString(pid)));
  }

  /** The instance of {@code service} in the stack's namespace with {@code pid}, from a fresh state event. */
  private Optional<JsonObject> instance(String service, Predicate<JsonObject> which) throws Exception {
    for (JsonElement e : wire.firstState().getAsJsonArray("instances")) {
      JsonObject i = e.getAsJsonObject();
      if (i.get("service").getAsString().equals(service) && i.get("namespace").getAsString().equals(namespace)
          && which.test(i)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  private static int portOf(JsonObject instance, String endpoint) {
    for (JsonElement e : instance.getAsJsonArray("endpoints")) {
      JsonObject ep = e.getAsJsonObject();
      if (ep.get("name").getAsString().equals(endpoint)) {
        String address = ep.get("address").getAsString();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      }
    }
    throw new AssertionError("no endpoint " + endpoint + " in " + instance);
  }

  // --- the tests

  @Test
  @Order(1)
  void map_showsEveryServiceOfTheRunningStack_withItsAddress() throws Exception {
    screenshot = "map";
    waitUpTo(Duration.ofSeconds(10)).withMessage("#connection live")
        .until(d -> "live".equals(connectionState()));
    for (String service : SERVICES) {
      WebElement node = waitUpTo(Duration.ofSeconds(5)).withMessage(node(service) + " with one live instance")
          .until(d -> all(node(service)).stream().filter(n -> "1".equals(n.getAttribute("data-instances")))
              .findFirst().orElse(null));
      StackProcess p = process(service);
      String endpoint = service.equals("gateway") ? "http" : "main";
      assertThat(text(node)).as(service).contains("127.0.0.1:" + p.getPortsMap().get(endpoint));
      waitUpTo(Duration.ofSeconds(5)).withMessage("pid " + p.getPid() + " of " + service + " in table#instances")
          .until(d -> pidShown(p.getPid()));
    }
    assertThat(all("svg#map g.node[data-service]")).as("a node per service, no more")
        .extracting(n -> n.getAttribute("data-service") + "/" + n.getAttribute("data-namespace"))
        .containsAll(SERVICES.stream().map(s -> s + "/" + namespace).toList())
        .doesNotHaveDuplicates();
    assertThat(all("#owner[data-owner='false']")).as("not signed in").hasSize(1);
  }

  @Test
  @Order(2)
  void afterCalls_theEdgesBetweenServices_showARateAndTheirLabel() {
    screenshot = "edges";
    for (String[] e : List.of(new String[] {"gateway", "orders"}, new String[] {"orders", "catalog"},
        new String[] {"gateway", "catalog"})) {
      WebElement edge = waitUpTo(Duration.ofSeconds(15))
          .withMessage(edge(e[0], e[1]) + " with data-calls-per-second > 0 (" + traffic.ok() + " calls answered)")
          .until(d -> all(edge(e[0], e[1])).stream()
              .filter(x -> Double.parseDouble(x.getAttribute("data-calls-per-second")) > 0)
              .findFirst().orElse(null));
      assertThat(text(edge)).as(edge(e[0], e[1])).containsPattern(LABEL);
    }
    assertThat(traffic.ok()).as("calls answered 200").isPositive();
  }

  @Test
  @Order(3)
  void killMinus9OfAnInstance_leavesThePageWithinASecond_thenItComesBackOnItsPort() throws Exception {
    screenshot = "restarted-after-kill";
    StackProcess catalog = process("catalog");
    JsonObject killed = instance("catalog", i -> i.get("pid").getAsLong() == catalog.getPid()).orElseThrow(
        () -> new AssertionError("no catalog instance with pid " + catalog.getPid() + " in the state event"));
    String killedId = killed.get("instanceId").getAsString();
    int port = portOf(killed, "main");
    waitUpTo(Duration.ofSeconds(5)).withMessage("rows of " + killedId).until(d -> !instanceRows(killedId).isEmpty());

    long killedAt = System.nanoTime();
    assertThat(ProcessHandle.of(catalog.getPid()).orElseThrow().destroyForcibly()).isTrue(); // SIGKILL
    String gone = "return document.querySelectorAll(\"table#instances tbody tr[data-instance-id='\" + arguments[0]"
        + " + \"']\").length === 0 && Array.from(document.querySelectorAll(arguments[1]))"
        + ".every(n => n.getAttribute('data-instances') === '0');";
    boolean left = false;
    while (!left && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(1)) {
      left = Boolean.TRUE.equals(js(gone, killedId, node("catalog")));
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    System.out.println("screenshot " + chromium.screenshot("killed"));
    assertThat(left).as("instance %s (pid %d) off the page within 1 s of its kill -9 (checked until %d ms)",
        killedId, catalog.getPid(), tookMillis).isTrue();
    System.out.println("kill -9 of catalog: off the page in <= " + tookMillis + " ms");

    // the supervisor starts it again, on the same port: a new instance, a new pid
    JsonObject back = waitUpTo(Duration.ofSeconds(30)).withMessage("a new catalog instance on port " + port)
        .until(d -> {
          try {
            return instance("catalog", i -> !i.get("instanceId").getAsString().equals(killedId)
                && i.get("state").getAsString().equals("live")).orElse(null);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(back.get("pid").getAsLong()).isNotEqualTo(catalog.getPid());
    assertThat(portOf(back, "main")).isEqualTo(port);
    String backId = back.get("instanceId").getAsString();
    waitUpTo(Duration.ofSeconds(5)).withMessage("rows of " + backId + " and " + node("catalog") + " live")
        .until(d -> !instanceRows(backId).isEmpty() && all(node("catalog")).stream()
            .anyMatch(n -> "1".equals(n.getAttribute("data-instances"))));
    assertThat(pidShown(back.get("pid").getAsLong())).isTrue();
    assertThat(instanceRows(killedId)).isEmpty();
  }

  @Test
  @Order(4)
  void signedInThroughAOneTimeUrl_theRestartButtonRestartsAService_withoutSignIn_refused() throws Exception {
    screenshot = "restarted-by-button";
    // a reader: the buttons are there but disabled, and the action itself is 401
    WebElement restart = waitUpTo(Duration.ofSeconds(5)).withMessage(button("restart", "orders"))
        .until(d -> all(button("restart", "orders")).stream().findFirst().orElse(null));
    assertThat(restart.isEnabled()).as("restart for a reader").isFalse();
    assertThat(all(button("stop", "orders"))).singleElement().matches(b -> !b.isEnabled(), "stop disabled");
    StackProcess before = process("orders");
    String action = "/dashboard/actions/restart?namespace=" + namespace + "&service=orders";
    HttpResponse<String> anonymous = wire.post(action);
    assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
    assertThat(anonymous.body().strip()).doesNotContain("\n").isNotEmpty();
    assertThat(wire.get(action).statusCode()).as("GET changes nothing").isEqualTo(405);
    assertThat(wire.post("/v1/dashboard/codes").statusCode()).as("a code without the token").isEqualTo(401);

    String token = StateDir.of(berth.home()).readToken().orElseThrow();
    chromium.driver.get(wire.pageUrl() + "login?code=" + wire.mintCode(token));
    waitUpTo(Duration.ofSeconds(10)).withMessage("signed in: back on /dashboard/ with #owner[data-owner=true]")
        .until(d -> wire.pageUrl().equals(d.getCurrentUrl()) && !all("#owner[data-owner='true']").isEmpty());
    Cookie cookie = chromium.driver.manage().getCookieNamed("berth-dashboard-" + wire.port());
    assertThat(cookie).as("the owner cookie").isNotNull();
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
    assertThat(cookie.getPath()).isEqualTo("/dashboard");
    assertThat(chromium.driver.getPageSource()).as("the token never reaches the page").doesNotContain(token);
    int restartsBefore = before.getRestarts();
    waitUpTo(Duration.ofSeconds(5)).withMessage(stackRow("orders") + "[data-restarts=" + restartsBefore + "]")
        .until(d -> !all(stackRow("orders") + "[data-restarts='" + restartsBefore + "']").isEmpty());

    WebElement enabled = waitUpTo(Duration.ofSeconds(5)).withMessage(button("restart", "orders") + " enabled")
        .until(d -> all(button("restart", "orders")).stream().filter(WebElement::isEnabled).findFirst().orElse(null));
    enabled.click();

    StackProcess after = waitUpTo(Duration.ofSeconds(30)).withMessage("orders restarted in stack.json")
        .until(d -> {
          try {
            StackProcess p = process("orders");
            return p.getPid() != before.getPid() && p.getState().equals("live") ? p : null;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(after.getRestarts()).isEqualTo(restartsBefore + 1);
    waitUpTo(Duration.ofSeconds(5))
        .withMessage(stackRow("orders") + " live, data-restarts=" + after.getRestarts() + ", pid " + after.getPid())
        .until(d -> !all(stackRow("orders") + "[data-state='live'][data-restarts='" + after.getRestarts() + "']")
            .isEmpty() && pidShown(after.getPid()));
    assertThat(pidShown(before.getPid())).as("the old pid").isFalse();

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
    HttpResponse<String> page = wire.get("/dashboard/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").map(DashboardBrowserIT::directives))
        .hasValue(List.of("default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
            "connect-src 'self'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'"));
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");

    String httpAddress = httpAddress();
    assertThat(ProcessHandle.of(registry.process.pid()).orElseThrow().destroyForcibly()).isTrue(); // SIGKILL
    registry.process.waitFor(10, TimeUnit.SECONDS);
    waitUpTo(Duration.ofSeconds(5)).withMessage("#connection[data-state=gone] once the registry is killed")
        .until(d -> "gone".equals(connectionState()));
    System.out.println("screenshot " + chromium.screenshot("registry-gone"));

    registry = startRegistry();
    assertThat(httpAddress()).as("the HTTP side on its remembered berth").isEqualTo(httpAddress);
    waitUpTo(Duration.ofSeconds(10)).withMessage("#connection[data-state=live] once the registry is back")
        .until(d -> "live".equals(connectionState()));
    waitUpTo(Duration.ofSeconds(10)).withMessage("the stack's nodes back on the map")
        .until(d -> SERVICES.stream().allMatch(s -> !all(node(s)).isEmpty()));
  }

  private static List<String> directives(String csp) {
    return Arrays.stream(csp.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
