package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Register;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The surface listed in {@code package-info.java}: one name form, addresses, the watch handle. */
class PublicApiTest extends RegistryPerTest {
  private static final String FORM = "(expected: service or service/endpoint, each a DNS label of 1 "
      + "to 63 characters: lowercase letters, digits and '-', not starting or ending with '-')";

  @Test
  void name_notServiceOrServiceSlashEndpoint_isRefusedNamingTheValueByEveryMethod() {
    PortBinder binder = address -> () -> { };
    assertRefused(() -> berth.resolve("a/b/c"), "a/b/c");
    assertRefused(() -> berth.resolveAll("Orders"), "Orders");
    assertRefused(() -> berth.channel("orders/"), "orders/");
    assertRefused(() -> berth.watch("/http", list -> { }), "/http");
    assertRefused(() -> berth.claim("gateway//http", binder), "gateway//http");
    assertRefused(() -> berth.resolve(""), "");
    assertThatThrownBy(() -> berth.resolve(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name: null " + FORM);
  }

  @Test
  void resolve_serviceSlashEndpoint_isThatEndpointAndServiceAloneIsMain() {
    Lease lease = berth.lease("web").endpoint("main").endpoint("http").attach();
    try (Listening listening = Listening.on(lease)) {
      lease.ready();

      assertThat(berth.resolve("web/http")).isEqualTo(lease.address("http"));
      assertThat(berth.resolve("web")).isEqualTo(lease.address("main"));
      assertThat(berth.resolveAll("web/main")).containsExactly(lease.address());
      assertThatThrownBy(() -> berth.resolve("web/debug"))
          .isInstanceOf(BerthException.class).hasMessage("no live instance of 'web/debug'");
    } finally {
      lease.close();
    }
  }

  @Test
  void lease_addresses_areLoopbackAddressesInRequestOrderWithPortAsConvenience() {
    try (Lease lease = berth.lease("web").endpoint("http").endpoint("metrics").attach()) {
      assertThat(lease.addresses()).containsOnlyKeys("http", "metrics");
      assertThat(List.copyOf(lease.addresses().keySet())).containsExactly("http", "metrics");
      Address http = lease.address("http");
      assertThat(http.isTcp()).isTrue();
      assertThat(http.host()).isEqualTo("127.0.0.1");
      assertThat(http.toString()).isEqualTo("127.0.0.1:" + lease.port("http"));
      assertThatThrownBy(lease::address) // two endpoints, neither is main
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("endpoint: 'main' (expected one of [http, metrics])");
    }
    try (Lease single = berth.lease("one").endpoint("http").attach()) {
      assertThat(single.address()).isEqualTo(single.address("http"));
      assertThat(single.port()).isEqualTo(single.address().port());
    }
  }

  @Test
  void claimAndServer_giveTheAddressTheBinderGot() throws Exception {
    List<Address> bound = new CopyOnWriteArrayList<>();
    try (Claim claim = berth.claim("gateway/http", address -> {
      bound.add(address);
      return Listening.onAddress(address);
    })) {
      assertThat(bound).containsExactly(claim.address());
      assertThat(claim.addresses()).containsExactly(java.util.Map.entry("http", claim.address("http")));
      assertThat(berth.resolve("gateway/http")).isEqualTo(claim.address());
    }
    try (BerthServer server = berth.serve("who").addService(WhoService.named("w")).start()) {
      assertThat(server.address()).isEqualTo(Address.loopback(server.port()));
      assertThat(berth.resolve("who")).isEqualTo(server.address());
    }
  }

  @Test
  void watch_handleClose_stopsTheListenerAndIsIdempotentWithoutCheckedException() throws Exception {
    List<List<Address>> closedOne = new CopyOnWriteArrayList<>();
    List<List<Address>> witness = new CopyOnWriteArrayList<>();
    BerthWatch watch = berth.watch("catalog", closedOne::add);
    assertThat(watch.name()).isEqualTo("catalog");
    try (BerthWatch other = berth.watch("catalog", witness::add)) {
      Waits.until(Duration.ofSeconds(5), () -> closedOne.size() == 1 && witness.size() == 1);

      watch.close(); // BerthWatch.close() declares no exception: no try/catch needed
      watch.close();
      try (BerthServer server = berth.serve("catalog").addService(WhoService.named("c")).start()) {
        Waits.until(Duration.ofSeconds(5), () -> witness.size() == 2, "the open watch sees the server");
        assertThat(witness.get(1)).containsExactly(server.address());
      }
      assertThat(closedOne).as("calls after close").hasSize(1);
    }
  }

  @Test
  void berthClose_closesItsWatches() throws Exception {
    Berth other = TestRegistry.connect(registry);
    List<List<Address>> seen = new CopyOnWriteArrayList<>();
    other.watch("catalog", seen::add);
    Waits.until(Duration.ofSeconds(5), () -> seen.size() == 1);
    other.close();
    assertThatThrownBy(() -> other.watch("catalog", list -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessage("Berth is closed");

    List<List<Address>> witness = new CopyOnWriteArrayList<>();
    try (BerthWatch open = berth.watch("catalog", witness::add);
        BerthServer server = berth.serve("catalog").addService(WhoService.named("c")).start()) {
      Waits.until(Duration.ofSeconds(5), () -> witness.stream().anyMatch(l -> !l.isEmpty()),
          "a watch of an open Berth sees the server");
    }
    assertThat(seen).as("calls to a watch of a closed Berth").hasSize(1);
  }

  @Test
  void leaseBuilder_unixSocket_sendsItsPathAndNoPort() {
    Path socket = home.resolve("web.sock");
    Register register = berth.lease("web").endpoint("http").unixSocket("sock", socket).register();

    assertThat(register.getEndpointsList()).extracting(EndpointRequest::getName).containsExactly("http", "sock");
    EndpointRequest sock = register.getEndpoints(1);
    assertThat(sock.getUnixPath()).isEqualTo(socket.toString());
    assertThat(sock.getPort()).isZero();
    assertThat(sock.getAlreadyBound()).isFalse();
    assertThat(register.getEndpoints(0).getUnixPath()).isEmpty();
  }

  @Test
  void leaseBuilder_unixSocket_refusesARelativePathAndARequestedPort() {
    assertThatThrownBy(() -> berth.lease("web").unixSocket("sock", Path.of("web.sock")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unix socket path: 'web.sock' (expected: an absolute path)");
    assertThatThrownBy(() -> berth.lease("web").unixSocket("sock", home.resolve("s")).requestPort("sock", 8080))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint: 'sock' is a Unix socket (expected: a port for a TCP endpoint)");
  }

  private static void assertRefused(ThrowingCallable call, String name) {
    assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name: '" + name + "' " + FORM);
  }
}
