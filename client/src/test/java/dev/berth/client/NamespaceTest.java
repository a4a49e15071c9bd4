package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.local.Namespace;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.registry.BerthRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code Berth} in a namespace, against a real registry: its leases register there, and its
 * resolves, watches and channels find that namespace's instances first, else the default
 * namespace's, never another's.
 */
class NamespaceTest {
  @TempDir Path home;
  BerthRegistry registry;
  final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    registry = TestRegistry.start(home);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    registry.close();
  }

  @Test
  void builder_namespace_takesEmptyDefaultOrADnsLabel_andRefusesOthersNamingThem() throws Exception {
    assertThat(in("shop-1").namespace()).isEqualTo("shop-1");
    assertThat(in("default").namespace()).isEmpty();
    assertThat(in("").namespace()).isEmpty();
    assertThatThrownBy(() -> Berth.builder().namespace("Shop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("namespace: 'Shop' (expected: 'default' or '' for the default namespace, else a DNS label");
  }

  @Test
  void builder_withoutNamespace_takesThePropertyElseTheDefault() throws Exception {
    assumeThat(System.getenv(Namespace.ENV)).as("no BERTH_NAMESPACE in this test's environment").isNull();
    assertThat(track(TestRegistry.connect(registry)).namespace()).isEmpty();
    withProperty(Namespace.PROPERTY, "from-property", () ->
        assertThat(track(TestRegistry.connect(registry)).namespace()).isEqualTo("from-property"));
    withProperty(Namespace.PROPERTY, "Bad", () ->
        assertThatThrownBy(() -> TestRegistry.connect(registry))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("-Dberth.namespace: 'Bad' (expected: "));
  }

  @Test
  void serve_registersInTheBerthsNamespace() throws Exception {
    in("shop-1").serve("who").addService(WhoService.named("a")).start();
    in("").serve("who").addService(WhoService.named("d")).start();

    assertThat(whoInstances()).extracting(Instance::getNamespace).containsExactlyInAnyOrder("shop-1", "");
  }

  @Test
  void resolve_findsItsOwnNamespaceFirst_elseTheDefault_neverAnothers() throws Exception {
    int a = in("shop-1").serve("who").addService(WhoService.named("a")).start().port();
    BerthServer d = in("").serve("who").addService(WhoService.named("d")).start();

    assertThat(in("shop-1").resolveAll("who")).containsExactly(Address.loopback(a));
    assertThat(in("shop-2").resolveAll("who")).containsExactly(Address.loopback(d.port()));
    assertThat(in("").resolveAll("who")).containsExactly(Address.loopback(d.port()));

    d.close();
    Berth two = in("shop-2");
    Waits.until(Duration.ofSeconds(5), () -> two.resolveAll("who").isEmpty(), "shop-1's instance is not shop-2's");
    assertThat(in("").resolveAll("who")).isEmpty();
  }

  @Test
  void channel_byName_staysInItsNamespace_whenBothServeTheSameName() throws Exception {
    in("shop-1").serve("who").addService(WhoService.named("a")).start();
    in("shop-2").serve("who").addService(WhoService.named("b")).start();
    in("").serve("who").addService(WhoService.named("d")).start();

    ManagedChannel one = in("shop-1").channel("who");
    ManagedChannel two = in("shop-2").channel("who");
    ManagedChannel other = in("shop-3").channel("who");

    assertThat(calls(one, 10)).containsOnlyKeys("a");
    assertThat(calls(two, 10)).containsOnlyKeys("b");
    assertThat(calls(other, 10)).as("a namespace without one falls back to the default").containsOnlyKeys("d");
  }

  @Test
  void watch_switchesToItsNamespace_whenAnInstanceAppearsThere_andBack() throws Exception {
    int d = in("").serve("who").addService(WhoService.named("d")).start().port();
    List<List<Address>> seen = new CopyOnWriteArrayList<>();
    track(in("shop-1").watch("who", seen::add));
    Waits.until(Duration.ofSeconds(5), () -> last(seen).equals(List.of(Address.loopback(d))), "the default's");

    BerthServer a = in("shop-1").serve("who").addService(WhoService.named("a")).start();
    Waits.until(Duration.ofSeconds(5), () -> last(seen).equals(List.of(Address.loopback(a.port()))),
        "its own namespace's, once one is live");
    a.close();
    Waits.until(Duration.ofSeconds(5), () -> last(seen).equals(List.of(Address.loopback(d))),
        "the default's again");
  }

  @Test
  void plainChannel_namespaceParameter_namesOne_andWithoutItThePropertyDecides() throws Exception {
    assumeThat(System.getenv("BERTH_REGISTRY")).as("discovery through the state dir").isNull();
    in("shop-1").serve("who").addService(WhoService.named("a")).start();
    in("shop-2").serve("who").addService(WhoService.named("b")).start();
    in("").serve("who").addService(WhoService.named("d")).start();

    withProperty(StateDir.HOME_PROPERTY, home.toString(), () -> {
      assertThat(calls(plain("berth:///who?namespace=shop-1"), 10)).containsOnlyKeys("a");
      assertThat(calls(plain("berth:///who?namespace=default"), 10)).containsOnlyKeys("d");
      withProperty(Namespace.PROPERTY, "shop-2", () -> {
        assertThat(calls(plain("berth:///who"), 10)).containsOnlyKeys("b");
        assertThat(calls(plain("berth:///who?namespace="), 10)).containsOnlyKeys("d");
      });
    });
  }

  @Test
  void plainChannel_withABadNamespace_failsAtBuildNamingIt() throws Exception {
    assertThatThrownBy(() -> ManagedChannelBuilder.forTarget("berth:///who?namespace=Shop").usePlaintext().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("namespace: 'Shop' in berth:///who?namespace=Shop (expected: 'default' or ''");
    assertThatThrownBy(() -> ManagedChannelBuilder.forTarget("berth:///who?ns=shop").usePlaintext().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("query: 'ns=shop' in berth:///who?ns=shop (expected: none, or namespace=NS)");
    withProperty(Namespace.PROPERTY, "Bad", () ->
        assertThatThrownBy(() -> ManagedChannelBuilder.forTarget("berth:///who").usePlaintext().build())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("-Dberth.namespace: 'Bad' (expected: "));
  }

  @Test
  void lease_whenRegistryRestarts_reattachesInItsNamespace() throws Exception {
    int registryPort = registry.port();
    BerthServer a = in("shop-1").serve("who").addService(WhoService.named("a")).start();
    registry.close();
    Waits.until(Duration.ofSeconds(5), () -> !InternalLeases.isLive(a.lease()), "lease notices the registry is gone");
    registry = TestRegistry.start(home, registryPort);

    Waits.until(Duration.ofSeconds(10), () -> InternalLeases.isLive(a.lease()), "lease re-attached");
    assertThat(whoInstances()).extracting(Instance::getNamespace).containsExactly("shop-1");
    assertThat(in("shop-2").resolveAll("who")).as("still not another namespace's").isEmpty();
    assertThat(in("shop-1").resolveAll("who")).containsExactly(Address.loopback(a.port()));
  }

  private Berth in(String namespace) {
    return track(Berth.builder()
        .registry("127.0.0.1:" + registry.port())
        .stateDir(registry.stateDir())
        .namespace(namespace)
        .build());
  }

  private List<Instance> whoInstances() {
    try (Berth fresh = TestRegistry.connect(registry)) {
      return fresh.registryStub().list(ListRequest.getDefaultInstance()).getInstancesList().stream()
          .filter(i -> i.getService().equals("who")).toList();
    }
  }

  private ManagedChannel plain(String target) {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
    track(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  /** Who answered {@code n} wait-for-ready calls. */
  private static Map<String, Integer> calls(ManagedChannel channel, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(WhoService.call(channel, io.grpc.CallOptions.DEFAULT.withWaitForReady()), 1, Integer::sum);
    }
    return counts;
  }

  private static List<Address> last(List<List<Address>> seen) {
    return seen.isEmpty() ? List.of() : seen.get(seen.size() - 1);
  }

  private <T extends AutoCloseable> T track(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private interface Body {
    void run() throws Exception;
  }

  private static void withProperty(String name, String value, Body body) throws Exception {
    String previous = System.setProperty(name, value);
    try {
      body.run();
    } finally {
      if (previous == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, previous);
      }
    }
  }
}
