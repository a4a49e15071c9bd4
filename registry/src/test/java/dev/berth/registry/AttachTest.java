package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proto.v1.Assigned;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.Register;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.ResolveResponse;
import dev.berth.proto.v1.WhoHasRequest;
import dev.berth.proto.v1.WhoHasResponse;
import dev.berth.testing.TestPools;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease protocol end to end over real loopback gRPC. */
class AttachTest {

  @TempDir Path dir;
  private TestRegistry reg;

  @AfterEach
  void tearDown() throws Exception {
    if (reg != null) {
      reg.close();
    }
  }

  @Test
  void attach_registerThenReady_instanceVisibleOnlyAfterReady() throws Exception {
    reg = TestRegistry.start(dir, 4);
    WatchClient watcher = reg.watch("orders", "");
    watcher.await(s -> s.getTargetsCount() == 0 && s.getEndpoint().equals("main"));
    AttachClient orders = reg.attach();

    Assigned assigned = orders.register(AttachClient.register("orders").toBuilder()
        .putMetadata("version", "1.2").build());
    int port = assigned.getEndpoints(0).getPort();
    assertThat(assigned.getEndpoints(0).getName()).isEqualTo("main");
    assertThat(assigned.getEndpoints(0).getHost()).isEqualTo("127.0.0.1");
    assertThat(port).isBetween(reg.poolFirst, reg.poolLast);
    assertThat(assigned.getReservationMillis()).isEqualTo(30_000);
    assertThatThrownBy(() -> reg.blocking().resolve(ResolveRequest.newBuilder().setService("orders").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).contains("\"orders\"", "\"main\"");
        });
    assertThat(reg.blocking().list(ListRequest.getDefaultInstance()).getInstancesList())
        .extracting(Instance::getService).containsExactly("berth"); // the registry's own /metrics
    WhoHasResponse reserved = reg.blocking().whoHas(WhoHasRequest.newBuilder().setPort(port).build());
    assertThat(reserved.hasReserved()).isTrue();

    orders.ready();

    ResolveResponse resolved = reg.blocking().resolve(ResolveRequest.newBuilder().setService("orders").build());
    assertThat(resolved.getTargetsList()).singleElement().satisfies(t -> {
      assertThat(t.getPort()).isEqualTo(port);
      assertThat(t.getInstanceId()).isEqualTo(assigned.getInstanceId());
      assertThat(t.getPid()).isEqualTo(ProcessHandle.current().pid());
    });
    Instance listed = reg.blocking().list(ListRequest.getDefaultInstance()).getInstancesList()
        .stream().filter(i -> i.getService().equals("orders")).findFirst().orElseThrow();
    assertThat(listed.getMetadataMap()).containsEntry("version", "1.2");
    assertThat(listed.hasLiveSince()).isTrue();
    assertThat(watcher.await(WatchClient.hasPort(port)).getTargetsCount()).isEqualTo(1);
    WhoHasResponse live = reg.blocking().whoHas(WhoHasRequest.newBuilder().setPort(port).build());
    assertThat(live.getBerth().getService()).isEqualTo("orders");
    assertThat(reg.meters.get("berth.registry.instances").gauge().value()).isEqualTo(1);
    assertThat(reg.meters.get("berth.registry.resolve.duration").timer().count()).isEqualTo(2);
  }

  @Test
  void attach_whenStreamCompletes_removesInstanceAndWatcherSeesIt() throws Exception {
    reg = TestRegistry.start(dir, 4);
    AttachClient orders = reg.attach();
    int port = orders.attachLive("orders");
    WatchClient watcher = reg.watch("orders", "main");
    watcher.await(WatchClient.hasPort(port));

    orders.complete();

    assertThat(orders.awaitEnd().getCode()).isEqualTo(Status.Code.OK);
    watcher.await(s -> s.getTargetsCount() == 0);
    assertThat(reg.counter("berth.registry.leases.ended", "reason", "closed")).isEqualTo(1);
    assertThat(reg.meters.get("berth.registry.instances").gauge().value()).isZero();
  }

  @Test
  void attach_whenClientCancels_removesInstanceAndWatcherSeesIt() throws Exception {
    reg = TestRegistry.start(dir, 4);
    AttachClient orders = reg.attach();
    int port = orders.attachLive("orders");
    WatchClient watcher = reg.watch("orders", "main");
    watcher.await(WatchClient.hasPort(port));

    orders.cancel();

    watcher.await(s -> s.getTargetsCount() == 0);
    assertThat(reg.counter("berth.registry.leases.ended", "reason", "broken")).isEqualTo(1);
  }

  @Test
  void attach_whenClientChannelShutdownNow_watcherSeesInstanceGo() throws Exception {
    reg = TestRegistry.start(dir, 4);
    ManagedChannel ordersChannel = reg.channel();
    AttachClient orders = new AttachClient(RegistryGrpc.newStub(ordersChannel));
    AttachClient other = reg.attach();
    int port = orders.attachLive("orders");
    int otherPort = other.attachLive("orders");
    WatchClient watcher = reg.watch("orders", "main");
    watcher.await(s -> s.getTargetsCount() == 2);

    ordersChannel.shutdownNow();

    var snapshot = watcher.await(WatchClient.lacksPort(port));
    assertThat(snapshot.getTargetsList()).singleElement()
        .satisfies(t -> assertThat(t.getPort()).isEqualTo(otherPort));
    assertThat(other.isQuiet()).isTrue();
  }

  @Test
  void attach_withoutReadyInTime_reservationExpiresWithDeadlineExceeded() throws Exception {
    reg = TestRegistry.start(dir, TestPools.take(4).first(), 4,
        b -> b.reservationTimeout(Duration.ofMillis(300)));
    AttachClient orders = reg.attach();
    int port = orders.register(AttachClient.register("orders")).getEndpoints(0).getPort();

    Status end = orders.awaitEnd();

    assertThat(end.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(end.getDescription()).contains("300 ms");
    assertThat(reg.counter("berth.registry.leases.ended", "reason", "expired")).isEqualTo(1);
    WhoHasResponse who = reg.blocking().whoHas(WhoHasRequest.newBuilder().setPort(port).build());
    assertThat(who.hasFree()).as("%s", who).isTrue();
  }

  @Test
  void attach_whenBindFails_reassignsThatEndpointAndCountsConflict() throws Exception {
    reg = TestRegistry.start(dir, 6);
    AttachClient web = reg.attach();
    Assigned first = web.register(AttachClient.register("web", "http", "metrics"));
    int http = first.getEndpoints(0).getPort();
    int metrics = first.getEndpoints(1).getPort();

    Assigned second = web.bindFailed("http", http);

    assertThat(second.getInstanceId()).isEqualTo(first.getInstanceId());
    assertThat(second.getEndpoints(0).getPort()).isNotIn(http, metrics);
    assertThat(second.getEndpoints(1).getPort()).isEqualTo(metrics);
    assertThat(reg.counter("berth.port.conflicts", "service", "web", "side", "registry",
        "cause", "bind_failed")).isEqualTo(1);
    web.ready();
    assertThat(reg.blocking().resolve(ResolveRequest.newBuilder().setService("web")
        .setEndpoint("http").build()).getTargets(0).getPort()).isEqualTo(second.getEndpoints(0).getPort());
  }

  @Test
  void attach_whenRequestedPortFree_honoursIt() throws Exception {
    reg = TestRegistry.start(dir, 4);
    int wanted = TestPools.take(1).first();
    AttachClient oauth = reg.attach();

    Assigned a = oauth.register(Register.newBuilder().setService("oauth")
        .addEndpoints(EndpointRequest.newBuilder().setName("http").setPort(wanted)).build());

    assertThat(a.getEndpoints(0).getPort()).isEqualTo(wanted);
  }

  @Test
  void attach_whenRequestedPortHeldByForeignProcess_failsAlreadyExistsNamingPid() throws Exception {
    reg = TestRegistry.start(dir, 4);
    try (ServerSocket squatter = TestPools.squat(TestPools.take(1).first())) {
      AttachClient oauth = reg.attach();
      oauth.send(Register.newBuilder().setService("oauth")
          .addEndpoints(EndpointRequest.newBuilder().setName("http").setPort(squatter.getLocalPort()))
          .build());

      Status end = oauth.awaitEnd();

      assertThat(end.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
      assertThat(end.getDescription())
          .contains("port " + squatter.getLocalPort(), "pid " + ProcessHandle.current().pid());
      assertThat(reg.counter("berth.port.conflicts", "service", "oauth", "cause", "requested_taken"))
          .isEqualTo(1);
    }
  }

  @Test
  void attach_whenRequestedPortHeldByAnotherInstance_failsAlreadyExistsNamingIt() throws Exception {
    reg = TestRegistry.start(dir, 4);
    AttachClient orders = reg.attach();
    int port = orders.attachLive("orders");
    AttachClient thief = reg.attach();

    // this JVM's pid: the listen check passes (it listens there), the lease table refuses
    thief.send(Register.newBuilder().setService("thief").setPid(ProcessHandle.current().pid())
        .addEndpoints(EndpointRequest.newBuilder().setPort(port).setAlreadyBound(true)).build());

    Status end = thief.awaitEnd();
    assertThat(end.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(end.getDescription()).contains("orders-", "orders/main");
    assertThat(orders.isQuiet()).isTrue();
  }

  @Test
  void attach_whenAlreadyBound_skipsProbeAndGrantsThePort() throws Exception {
    reg = TestRegistry.start(dir, 4);
    try (ServerSocket mine = TestPools.squat(TestPools.take(1).first())) {
      AttachClient service = reg.attach();

      Assigned a = service.register(Register.newBuilder().setService("survivor")
          .setPid(ProcessHandle.current().pid())
          .addEndpoints(EndpointRequest.newBuilder().setPort(mine.getLocalPort()).setAlreadyBound(true))
          .build());
      service.ready();

      assertThat(a.getEndpoints(0).getPort()).isEqualTo(mine.getLocalPort());
    }
  }

  @Test
  void attach_whenPoolExhausted_failsResourceExhaustedAndOthersStay() throws Exception {
    reg = TestRegistry.start(dir, 3); // one is the registry's own berth: berth/metrics
    AttachClient a = reg.attach();
    AttachClient b = reg.attach();
    a.attachLive("alpha");
    b.attachLive("beta");
    AttachClient c = reg.attach();

    c.send(AttachClient.register("gamma"));

    Status end = c.awaitEnd();
    assertThat(end.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(end.getDescription()).contains("\"gamma\"", reg.poolFirst + "-" + reg.poolLast);
    assertThat(reg.blocking().list(ListRequest.getDefaultInstance()).getInstancesList())
        .extracting(Instance::getService).containsExactly("alpha", "berth", "beta");
    assertThat(a.isQuiet()).isTrue();
    assertThat(b.isQuiet()).isTrue();
  }

  @Test
  void whoHas_forAnUnusedPort_saysFree() throws Exception {
    reg = TestRegistry.start(dir, 2);
    int port = TestPools.take(1).first();

    WhoHasResponse who = reg.blocking().whoHas(WhoHasRequest.newBuilder().setPort(port).build());

    assertThat(who.hasFree()).isTrue();
    assertThat(who.getRememberedFor()).isEmpty();
  }

  @Test
  void whoHas_forTheRegistrysOwnPort_namesTheRegistryNotAForeignProcess() throws Exception {
    reg = TestRegistry.start(dir, 2);

    WhoHasResponse who = reg.blocking().whoHas(
        WhoHasRequest.newBuilder().setPort(reg.registry.port()).build());

    assertThat(who.hasBerth()).as("%s", who).isTrue();
    assertThat(who.getBerth().getService()).isEqualTo("berth");
    assertThat(who.getBerth().getEndpoint()).isEqualTo("registry");
    assertThat(who.getBerth().getPid()).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void registryMetrics_keepTheirBerthAcrossRestarts() throws Exception {
    int poolFirst = TestPools.take(4).first();
    int first;
    // the pool's first port is taken at the first start, so the remembered berth is not the
    // port a fresh allocation would pick next time
    try (ServerSocket squatter = TestPools.squat(poolFirst)) {
      reg = TestRegistry.start(dir, poolFirst, 4);
      first = reg.registry.metricsPort();
      assertThat(first).isBetween(poolFirst + 1, poolFirst + 3);
      reg.close();
    }

    reg = TestRegistry.start(dir, poolFirst, 4);

    // a Prometheus configured with http://127.0.0.1:PORT/sd keeps working
    assertThat(reg.registry.metricsPort()).isEqualTo(first);
  }
}
