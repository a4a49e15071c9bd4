package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import io.grpc.Status;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BerthTest extends RegistryPerTest {
  @Test
  void connect_whenNoRegistryAnswers_throwsUnavailableNamingAddressAndStateDir(@TempDir Path empty)
      throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    String address = "127.0.0.1:" + port;

    assertThatThrownBy(() -> Berth.builder().registry(address).stateDir(empty).build())
        .isInstanceOfSatisfying(BerthException.class,
            e -> assertThat(e.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("no Berth registry at " + address)
        .hasMessageContaining("state dir " + empty)
        .hasMessageContaining("start one with 'berth registry start'");
  }

  @Test
  void connect_whenStateDirHasNoRegistryJson_failsWithoutDialingTheDefaultPort(@TempDir Path empty) {
    // a registry of another state dir may hold the default port: it is not ours to use
    assertThatThrownBy(() -> Berth.builder().stateDir(empty).build())
        .isInstanceOfSatisfying(BerthException.class,
            e -> assertThat(e.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("no Berth registry in state dir " + empty + " (no registry.json)")
        .hasMessageContaining("start one with 'berth registry start'");
  }

  @Test
  void connect_withStateDirOnly_findsRegistryThroughRegistryJson() {
    try (Berth viaFiles = Berth.builder().stateDir(home).build()) {
      assertThat(viaFiles.registryStub().list(ListRequest.getDefaultInstance()).getInstancesList())
          .extracting(Instance::getService).containsExactly("berth"); // the registry's own /metrics
    }
  }

  @Test
  void resolve_whenNoInstance_throwsNotFoundNamingTheService() {
    assertThat(berth.resolveAll("catalog")).isEmpty();
    assertThatThrownBy(() -> berth.resolve("catalog"))
        .isInstanceOfSatisfying(BerthException.class,
            e -> assertThat(e.status().getCode()).isEqualTo(Status.Code.NOT_FOUND))
        .hasMessage("no live instance of 'catalog'");
  }

  @Test
  void serve_withInvalidName_throwsNamingTheValue() {
    assertThatThrownBy(() -> berth.serve("Orders_1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Orders_1'");
  }

  @Test
  void lease_whenReadyThenClosed_isVisibleThenGoneAtOnce() {
    Lease lease = berth.lease("web").endpoint("http").endpoint("metrics").attach();
    assertThat(lease.addresses()).containsOnlyKeys("http", "metrics");
    assertThat(berth.resolveAll("web/http")).isEmpty(); // reserved, not yet visible

    try (Listening listening = Listening.on(lease)) {
      lease.ready();
      assertThat(berth.resolveAll("web/http"))
          .containsExactly(Address.loopback(lease.port("http")));
      assertThat(berth.resolve("web/metrics").port()).isEqualTo(lease.port("metrics"));

      lease.close();
      lease.close(); // idempotent
      assertThat(berth.resolveAll("web/http")).isEmpty();
    }
  }

  @Test
  void lease_withReservation_asksTheRegistryForItInRegister() {
    // the registry keeping the ports that long is registry/AttachTest's to show
    assertThat(berth.lease("slow").reservation(Duration.ofSeconds(5)).register().getReservationMillis())
        .isEqualTo(5_000);
    assertThat(berth.lease("slow").register().getReservationMillis()).as("the registry's default").isZero();
    assertThatThrownBy(() -> berth.lease("slow").reservation(Duration.ofMinutes(11)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reservation: PT11M (expected: 1 ms to PT10M)");
  }

  @Test
  void lease_bindFailed_getsAnotherPort() {
    Lease lease = berth.lease("web").attach();
    int first = lease.port();

    int second = InternalLeases.bindFailed(lease, "main", "Address already in use");

    assertThat(second).isNotEqualTo(first).isEqualTo(lease.port());
    try (Listening listening = Listening.on(lease)) {
      lease.ready();
      assertThat(berth.resolve("web").port()).isEqualTo(second);
    }
  }

  @Test
  void claim_whenAssignedPortIsTaken_bindsAnotherAndCountsConflict() throws IOException {
    ServerSocket[] squatter = new ServerSocket[1];
    List<Integer> tried = new CopyOnWriteArrayList<>();
    Claim claim = berth.claim("gateway/http", address -> {
      tried.add(address.port());
      if (squatter[0] == null) { // someone grabs the port between assignment and bind
        squatter[0] = new ServerSocket(address.port(), 50, java.net.InetAddress.getLoopbackAddress());
      }
      ServerSocket socket = new ServerSocket(address.port(), 50, java.net.InetAddress.getLoopbackAddress());
      return socket::close;
    });
    try {
      assertThat(tried).hasSize(2).doesNotHaveDuplicates();
      assertThat(claim.port("http")).isEqualTo(tried.get(1));
      assertThat(berth.resolve("gateway/http").port()).isEqualTo(tried.get(1));
      assertThat(berth.meterRegistry().get("berth.port.conflicts")
          .tags("service", "gateway", "side", "client", "cause", "bind_failed").counter().count())
          .isEqualTo(1.0);
    } finally {
      claim.close();
      squatter[0].close();
    }
    assertThat(berth.resolveAll("gateway/http")).isEmpty();
  }

  @Test
  void watch_seesInstancesComeAndGo() throws Exception {
    List<List<Address>> seen = new CopyOnWriteArrayList<>();
    try (BerthWatch watch = berth.watch("catalog", seen::add)) {
      Waits.until(Duration.ofSeconds(5), () -> seen.size() == 1);
      assertThat(seen.get(0)).isEmpty();

      BerthServer server = berth.serve("catalog").addService(WhoService.named("c")).start();
      Waits.until(Duration.ofSeconds(5), () -> seen.size() == 2);
      assertThat(seen.get(1)).containsExactly(Address.loopback(server.port()));

      server.close();
      Waits.until(Duration.ofSeconds(5), () -> seen.size() == 3);
      assertThat(seen.get(2)).isEmpty();
    }
  }

  @Test
  void close_closesServersMadeThroughIt() throws Exception {
    Berth other = TestRegistry.connect(registry);
    BerthServer server = other.serve("catalog").addService(WhoService.named("c")).start();
    assertThat(berth.resolveAll("catalog")).hasSize(1);

    other.close();
    other.close(); // idempotent

    assertThat(berth.resolveAll("catalog")).isEmpty();
    assertThat(server.awaitTermination(Duration.ZERO)).isTrue();
  }
}
