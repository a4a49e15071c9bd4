package dev.berth.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.BerthServer;
import dev.berth.registry.BerthRegistry;
import dev.berth.spring.boot.apps.CallerApp;
import dev.berth.spring.boot.apps.LedgerGrpcApp;
import dev.berth.spring.boot.apps.StockApp;
import dev.berth.spring.boot.apps.UnservedEndpointApp;
import dev.berth.spring.boot.internal.AppInstance;
import dev.berth.spring.boot.internal.BerthUnavailableException;
import dev.berth.spring.boot.internal.ServiceWatches;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerProperties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.boot.web.context.reactive.GenericReactiveWebApplicationContext;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.web.client.RestClient;


/**
 * The starter end to end: Spring Boot applications in child processes (a process is the point:
 * its port, its {@code kill -9}) against a real registry of this test's own (temp state dir, a
 * pool of {@link TestPools}), and one shared caller context in this JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// the children are shared, and one test kills stockOne: the tests that need both run first
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringAppTest {
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir
  static Path stateDir;

  private BerthRegistry registry;
  private Berth berth; // the test's own view, to resolve and watch
  private ConfigurableApplicationContext caller;
  private final List<SpringChild> children = new ArrayList<>();
  // started together up front: a Spring Boot JVM takes seconds to start on a busy machine
  private SpringChild stickyFirst;
  private SpringChild stockOne;
  private SpringChild stockTwo;

  @BeforeAll
  void startRegistryAndCaller() throws IOException {
    PortRange pool = TestPools.take(16);
    registry = BerthRegistry.builder().stateDir(stateDir).port(0).ports(pool.first(), pool.last()).build().start();
    // no -Dberth.registry in this JVM: its contexts find the test registry by their
    // application properties (at()), berth: channels of Spring gRPC included
    stickyFirst = child(StockApp.class, "spring.application.name=sticky", "gate=" + stateDir.resolve("gate"));
    stockOne = child(StockApp.class, "spring.application.name=stock");
    stockTwo = child(StockApp.class, "spring.application.name=stock", "management.server.port=0",
        "management.endpoints.web.exposure.include=health");
    berth = Berth.builder().registry("127.0.0.1:" + registry.port()).stateDir(stateDir).unixSockets(false).build();
    caller = new SpringApplicationBuilder(CallerApp.class).web(WebApplicationType.NONE)
        .properties(at()).properties("spring.main.banner-mode=off", "logging.level.root=WARN",
            "spring.application.name=caller",
            "spring.grpc.client.channels.greeter.address=berth:///greeter",
            "spring.grpc.client.channels.ledger.address=berth:///ledger/grpc")
        .run();
  }

  @AfterAll
  void stopAll() throws InterruptedException {
    AssertionError unkilled = null;
    for (SpringChild child : children) {
      try {
        child.close();
      } catch (AssertionError e) {
        unkilled = e; // the others still go, then the registry; reported below
      }
    }
    if (caller != null) {
      caller.close();
    }
    if (berth != null) {
      berth.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (unkilled != null) {
      throw unkilled;
    }
  }

  @Test
  void webApp_liveOnlyOnceListening_andGetsTheSamePortOnItsNextStart() throws Exception {
    Path gate = stateDir.resolve("gate");
    SpringChild first = stickyFirst;
    first.awaitLine("GATED", START);
    // the lease is attached (the web server exists, its port reserved) but nothing listens yet
    assertThat(berth.resolveAll("sticky/http")).isEmpty();
    Files.createFile(gate);
    Address address = awaitOne("sticky/http");
    // resolvable means listening: the first look-up's address answers at once
    assertThat(get(address, "/pid")).isEqualTo(Long.toString(first.pid()));

    first.stop();
    assertThat(berth.resolveAll("sticky/http")).isEmpty();
    SpringChild second = child(StockApp.class, "spring.application.name=sticky");
    second.awaitLine("STARTED", START);
    assertThat(berth.resolveAll("sticky/http")).containsExactly(address);
    assertThat(get(address, "/pid")).isEqualTo(Long.toString(second.pid()));
  }

  @Test
  @Order(2) // kills stockOne
  void loadBalancedRestClient_spreadsOverInstances_andDropsAKilledOneAtOnce() throws Exception {
    SpringChild one = stockOne;
    SpringChild two = stockTwo;
    one.awaitLine("STARTED", START);
    two.awaitLine("STARTED", START);
    RestClient client = caller.getBean(RestClient.Builder.class).build();

    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      answered.add(client.get().uri("http://stock/pid").retrieve().body(String.class));
    }
    assertThat(answered).containsExactlyInAnyOrder(Long.toString(one.pid()), Long.toString(two.pid()));
    // Spring Cloud's discovery clients (composites over every client, Berth's among them) agree
    List<Address> live = berth.resolveAll("stock/http");
    assertThat(caller.getBean(DiscoveryClient.class).getInstances("stock"))
        .extracting(i -> i.getHost() + ":" + i.getPort())
        .containsExactlyInAnyOrderElementsOf(live.stream().map(Address::toString).toList());
    assertThat(caller.getBean(DiscoveryClient.class).getServices()).contains("stock");
    assertThat(caller.getBean(ReactiveDiscoveryClient.class).getInstances("stock").collectList()
        .block(Duration.ofSeconds(10))).hasSize(2);

    // the load balancer's own feed: once it says one is gone, no call may go there
    AtomicReference<List<ServiceInstance>> feed = new AtomicReference<>();
    ServiceWatches watches = caller.getBean(ServiceWatches.class);
    var subscription = watches.changes("stock").subscribe(feed::set);
    try {
      one.kill();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (feed.get().size() != 1) {
        assertThat(System.nanoTime()).as("the watch drops the killed instance").isLessThan(deadline);
        Thread.sleep(5);
      }
      for (int i = 0; i < 20; i++) {
        assertThat(client.get().uri("http://stock/pid").retrieve().body(String.class))
            .isEqualTo(Long.toString(two.pid()));
      }
    } finally {
      subscription.dispose();
    }
  }

  @Test
  @Order(1) // before stockOne is killed
  void managementServerAndMeters_getEndpointsOfTheirOwn() throws Exception {
    stockTwo.awaitLine("STARTED", START);
    stockOne.awaitLine("STARTED", START);
    // only the second was given management.server.port (0: "separate"); Berth chose the port
    Address management = awaitOne("stock/management");
    assertThat(berth.resolveAll("stock/management")).containsExactly(management);
    assertThat(get(management, "/actuator/health")).contains("UP");
    // on loopback only, as the main server: not on this host's other addresses
    for (InetAddress other : nonLoopbackAddresses()) {
      assertThatThrownBy(() -> new Socket(other, management.port()).close())
          .as("management port on " + other).isInstanceOf(ConnectException.class);
    }
    // each instance's Prometheus meters (the application's MeterRegistry) on its `metrics`
    // endpoint, the one the registry's /sd lists
    List<Address> metrics = berth.resolveAll("stock/metrics");
    assertThat(metrics).hasSize(2);
    for (Address at : metrics) {
      assertThat(get(at, "/metrics")).contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void springGrpcChannel_reachesABerthServiceThroughBerthScheme() throws Exception {
    try (BerthServer greeter = berth.serve("greeter").start()) {
      ManagedChannel channel = (ManagedChannel) caller.getBean(GrpcChannelFactory.class).createChannel("greeter");
      try {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS).withWaitForReady()
            .check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      } finally {
        channel.shutdownNow();
      }
      // Berth's own channels record into the application's MeterRegistry
      MeterRegistry appMeters = caller.getBean(MeterRegistry.class);
      Berth appBerth = caller.getBean(Berth.class);
      assertThat(appBerth.meterRegistry()).isSameAs(appMeters);
      ManagedChannel byBerth = appBerth.channel("greeter");
      try {
        HealthGrpc.newBlockingStub(byBerth).withDeadlineAfter(10, TimeUnit.SECONDS).withWaitForReady()
            .check(HealthCheckRequest.getDefaultInstance());
      } finally {
        byBerth.shutdownNow();
      }
      assertThat(appMeters.find("berth.client.call.duration").tag("service", "greeter").timer())
          .isNotNull().satisfies(timer -> assertThat(timer.count()).isEqualTo(1));
    }
  }

  @Test
  void springGrpcServer_getsItsPortFromBerth_andIsCalledByName() throws Exception {
    try (ConfigurableApplicationContext ledger = new SpringApplicationBuilder(LedgerGrpcApp.class)
        .web(WebApplicationType.NONE)
        .properties(at()).properties("spring.main.banner-mode=off", "logging.level.root=WARN", "spring.application.name=ledger")
        .run()) {
      // live by the time the context is up: the started event made the lease ready
      Address grpc = berth.resolve("ledger/grpc");
      assertThat(ledger.getBean(GrpcServerProperties.class).getPort()).isEqualTo(grpc.port());
      ManagedChannel channel = (ManagedChannel) caller.getBean(GrpcChannelFactory.class).createChannel("ledger");
      try {
        String answer = ClientCalls.blockingUnaryCall(channel, LedgerGrpcApp.WHO,
            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "who");
        assertThat(answer).isEqualTo("who " + ProcessHandle.current().pid());
      } finally {
        channel.shutdownNow();
      }
    }
    assertThat(berth.resolveAll("ledger/grpc")).as("gone with its context").isEmpty();
  }

  @Test
  void disabled_leavesTheApplicationAsWithoutTheStarter() {
    String[] common = {"spring.main.banner-mode=off", "logging.level.root=WARN", "spring.application.name=off"};
    String nowhere = "--berth.registry=127.0.0.1:" + TestPools.port(); // would fail at start, were Berth on
    Set<String> disabled;
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CallerApp.class)
        .web(WebApplicationType.NONE).properties(common).run(nowhere, "--berth.enabled=false")) {
      disabled = new TreeSet<>(Arrays.asList(context.getBeanDefinitionNames()));
    }
    Set<String> without;
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(CallerApp.class)
        .web(WebApplicationType.NONE).properties(common)
        .properties("spring.autoconfigure.exclude=" + String.join(",",
            "dev.berth.spring.boot.BerthAutoConfiguration",
            "dev.berth.spring.boot.internal.BerthWebServerAutoConfiguration",
            "dev.berth.spring.boot.internal.BerthManagementAutoConfiguration",
            "dev.berth.spring.boot.internal.BerthGrpcServerAutoConfiguration",
            "dev.berth.spring.boot.internal.BerthDiscoveryAutoConfiguration",
            "dev.berth.spring.boot.internal.BerthGrpcClientAutoConfiguration")).run(nowhere)) {
      without = new TreeSet<>(Arrays.asList(context.getBeanDefinitionNames()));
    }
    assertThat(disabled).isEqualTo(without).noneMatch(name -> name.toLowerCase().contains("berth"));
  }

  @Test
  void noRegistry_failsAtStartSayingHowToStartOne() throws IOException {
    int nobody = TestPools.port(); // this JVM's own: no registry listens there
    SpringApplication app = new SpringApplicationBuilder(CallerApp.class).web(WebApplicationType.NONE)
        .properties("spring.main.banner-mode=off", "logging.level.root=OFF", "spring.application.name=lonely")
        .build();
    assertThatThrownBy(() -> app.run("--berth.registry=127.0.0.1:" + nobody))
        .hasStackTraceContaining(BerthUnavailableException.class.getName())
        .hasStackTraceContaining("start one with `bin/berth registry start`, or set berth.auto-start=true");
  }

  @Test
  void randomPortTest_keepsItsPort_andHasNoHttpEndpoint() {
    try (ConfigurableApplicationContext random = new SpringApplicationBuilder(CallerApp.class)
        .web(WebApplicationType.SERVLET)
        .properties(at()).properties("spring.main.banner-mode=off", "logging.level.root=WARN", "spring.application.name=random",
            "server.port=0") // what @SpringBootTest(webEnvironment = RANDOM_PORT) sets
        .run()) {
      int port = ((WebServerApplicationContext) random).getWebServer().getPort();
      assertThat(port).isPositive();
      assertThat(random.getBean(AppInstance.class).endpoints()).isEmpty();
      assertThat(berth.resolveAll("random/http")).isEmpty();
    }
  }

  @Test
  void mockWebEnvironment_takesNoLease() {
    // a web context with no server, as @SpringBootTest's default (MOCK) makes for a WebFlux
    // application (a servlet one's needs a mock ServletContext, from spring-test)
    try (ConfigurableApplicationContext mock = new SpringApplicationBuilder(CallerApp.class)
        .web(WebApplicationType.REACTIVE)
        .contextFactory(type -> new GenericReactiveWebApplicationContext())
        .properties(at()).properties("spring.main.banner-mode=off", "logging.level.root=WARN", "spring.application.name=mocked",
            "management.server.port=0")
        .run()) {
      assertThat(mock.getBean(AppInstance.class).endpoints()).isEmpty();
      assertThat(berth.resolveAll("mocked/http")).isEmpty();
    }
  }

  @Test
  void aClientsOwnSupplier_winsOverBerths() {
    ServiceInstanceListSupplier fixed = caller.getBean(LoadBalancerClientFactory.class)
        .getInstance("fixed", ServiceInstanceListSupplier.class);
    assertThat(fixed.get().blockFirst(Duration.ofSeconds(5)))
        .extracting(ServiceInstance::getInstanceId).containsExactly("fixed-1");
  }

  @Test
  void endpointNoServerListensOn_failsTheStartNamingIt() {
    SpringApplication app = new SpringApplicationBuilder(CallerApp.class, UnservedEndpointApp.class)
        .web(WebApplicationType.NONE)
        .properties(at()).properties("spring.main.banner-mode=off", "logging.level.root=OFF", "spring.application.name=unserved")
        .build();
    assertThatThrownBy(app::run)
        .hasStackTraceContaining("unserved: endpoints [unserved] never listened (expected: a server for each");
  }

  private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
    List<InetAddress> all = new ArrayList<>();
    for (NetworkInterface nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        nic.getInetAddresses().asIterator().forEachRemaining(a -> {
          if (a instanceof Inet4Address) {
            all.add(a);
          }
        });
      }
    }
    return all;
  }

  /** Where this test's in-JVM contexts find the registry: their own properties, as a user's application.properties. */
  private String[] at() {
    return new String[] {"berth.registry=127.0.0.1:" + registry.port(), "berth.home=" + stateDir};
  }

  private SpringChild child(Class<?> main, String... properties) throws IOException {
    SpringChild child = SpringChild.start(main, registry.port(), stateDir, properties);
    children.add(child);
    return child;
  }

  private Address awaitOne(String name) throws InterruptedException {
    long deadline = System.nanoTime() + START.toNanos();
    while (true) {
      List<Address> all = berth.resolveAll(name);
      if (!all.isEmpty()) {
        return all.get(0);
      }
      assertThat(System.nanoTime()).as(name + " becomes resolvable").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static String get(Address address, String path) throws IOException {
    try (Socket socket = new Socket(address.host(), address.port())) {
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 200");
      return response.substring(response.indexOf("\r\n\r\n") + 4).trim();
    }
  }
}
