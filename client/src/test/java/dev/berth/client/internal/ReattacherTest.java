package dev.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.BerthException;
import dev.berth.proto.v1.AttachRequest.KindCase;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Register;
import dev.berth.testing.FakeClock;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A lease's life after its stream ends, on a fake clock and a fake registry: no real time, no
 * sockets, every delay asserted exactly.
 */
class ReattacherTest {
  final FakeClock clock = new FakeClock();
  final FakeAttachRegistry registry = new FakeAttachRegistry();
  final Set<Integer> listening = new HashSet<>(); // ports something on this "machine" listens on

  /** A lease with the registry's backoff and no jitter: 50, 100, 200, 250, 250 ms. */
  LeaseHandshake open(Register register) {
    return LeaseHandshake.open(registry, register, new Clock(clock.scheduler(), clock.ticker()),
        Backoff.forRegistry(() -> 0.5), listening::contains);
  }

  static Register register(String service, EndpointRequest... endpoints) {
    return Register.newBuilder().setService(service).setPid(4242).putMetadata("version", "1.4")
        .setReservationMillis(60_000).addAllEndpoints(List.of(endpoints)).build();
  }

  static EndpointRequest endpoint(String name) {
    return EndpointRequest.newBuilder().setName(name).build();
  }

  LeaseHandshake live(Register register) {
    LeaseHandshake lease = open(register);
    listening.addAll(lease.ports().values());
    lease.ready();
    assertThat(lease.isLive()).isTrue();
    return lease;
  }

  @Test
  void streamEnds_whenLive_reattachesAfterBackoffOnTheSamePortsWithAlreadyBound() {
    LeaseHandshake lease = live(register("web", endpoint("http"), endpoint("metrics")));
    int http = lease.ports().get("http");
    int metrics = lease.ports().get("metrics");

    registry.last().end(Status.UNAVAILABLE.withDescription("registry killed"));

    assertThat(lease.isLive()).isFalse();
    assertThat(clock.pendingDelaysMillis()).containsExactly(50L);
    clock.forwardMillis(49);
    assertThat(registry.streams).hasSize(1);

    clock.forwardMillis(1);

    assertThat(registry.streams).hasSize(2);
    assertThat(registry.prepared).as("registry.json read again before the attempt").isEqualTo(1);
    FakeAttachRegistry.Stream again = registry.last();
    assertThat(again.kinds()).containsExactly(KindCase.REGISTER, KindCase.READY);
    assertThat(again.register()).isEqualTo(register("web").toBuilder()
        .addEndpoints(EndpointRequest.newBuilder().setName("http").setPort(http).setAlreadyBound(true))
        .addEndpoints(EndpointRequest.newBuilder().setName("metrics").setPort(metrics).setAlreadyBound(true))
        .build());
    assertThat(lease.isLive()).isTrue();
    assertThat(lease.ports()).containsExactly(Map.entry("http", http), Map.entry("metrics", metrics));
    assertThat(lease.instanceId()).isEqualTo("web-2");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void backoff_whileTheRegistryStaysAway_doublesTo250msThenStartsOverOnceLive() {
    LeaseHandshake lease = live(register("web", endpoint("main")));
    registry.refuseRegister(Status.UNAVAILABLE.withDescription("connection refused"));
    registry.last().end(Status.UNAVAILABLE);

    List<Long> delays = new ArrayList<>();
    for (int attempt = 0; attempt < 5; attempt++) {
      delays.addAll(clock.pendingDelaysMillis());
      clock.forwardMillis(clock.pendingDelaysMillis().get(0));
    }
    assertThat(delays).containsExactly(50L, 100L, 200L, 250L, 250L);
    assertThat(registry.streams).hasSize(6);

    registry.accept();
    clock.forwardMillis(250);
    assertThat(lease.isLive()).isTrue();

    registry.last().end(Status.UNAVAILABLE);
    assertThat(clock.pendingDelaysMillis()).as("the backoff starts over").containsExactly(50L);
  }

  @Test
  void backoff_jitter_isDrawnFromTheInjectedRandom() {
    LeaseHandshake lease = LeaseHandshake.open(registry, register("web", endpoint("main")),
        new Clock(clock.scheduler(), clock.ticker()), Backoff.forRegistry(() -> 0.0), listening::contains);
    listening.add(lease.ports().get("main"));
    lease.ready();

    registry.last().end(Status.UNAVAILABLE);

    assertThat(clock.pendingDelaysMillis()).containsExactly(40L); // 50 ms - 20 %
  }

  @Test
  void reattach_whenRefusedWithAlreadyExists_retriesWithBackoffUntilGranted() {
    LeaseHandshake lease = live(register("web", endpoint("main")));
    int port = lease.ports().get("main");
    registry.refuseRegister(Status.ALREADY_EXISTS.withDescription("port " + port + " is held by orders-1"));
    registry.last().end(Status.UNAVAILABLE);

    clock.forwardMillis(50);
    clock.forwardMillis(100);
    assertThat(registry.streams).hasSize(3);
    assertThat(lease.isLive()).isFalse();
    assertThat(clock.pendingDelaysMillis()).containsExactly(200L);

    registry.accept();
    clock.forwardMillis(200);

    assertThat(lease.isLive()).isTrue();
    assertThat(lease.ports()).containsExactly(Map.entry("main", port));
    assertThat(registry.last().register().getEndpoints(0).getAlreadyBound()).isTrue();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void reattach_whenAssignedNamesAnotherPort_cancelsTheAttemptAndRetries() {
    LeaseHandshake lease = live(register("web", endpoint("main")));
    int port = lease.ports().get("main");
    registry.moveNextRegisterTo(port + 1);
    registry.last().end(Status.UNAVAILABLE);

    clock.forwardMillis(50);

    FakeAttachRegistry.Stream moved = registry.last();
    assertThat(moved.cancelled).isEqualTo("assigned ports differ from the ports held");
    assertThat(moved.kinds()).as("no ready on a port not held").containsExactly(KindCase.REGISTER);
    assertThat(lease.isLive()).isFalse();
    assertThat(clock.pendingDelaysMillis()).containsExactly(100L);

    clock.forwardMillis(100);

    assertThat(lease.isLive()).isTrue();
    assertThat(lease.ports()).containsExactly(Map.entry("main", port));
  }

  @Test
  void close_duringPendingReattach_cancelsTheTimerAndOpensNoStream() {
    LeaseHandshake lease = live(register("web", endpoint("main")));
    registry.last().end(Status.UNAVAILABLE);
    assertThat(clock.pendingTasks()).isEqualTo(1);

    lease.close();

    assertThat(clock.pendingTasks()).isZero();
    clock.forwardMillis(10_000);
    assertThat(registry.streams).hasSize(1);
    assertThat(registry.prepared).isZero();
  }

  @Test
  void close_whileAnAttemptAwaitsTheRegistry_endsTheAttemptAndTriesNoMore() {
    LeaseHandshake lease = live(register("web", endpoint("main")));
    registry.silent();
    registry.last().end(Status.UNAVAILABLE);
    clock.forwardMillis(50);
    FakeAttachRegistry.Stream attempt = registry.last();
    assertThat(registry.streams).hasSize(2);

    lease.close();

    assertThat(attempt.halfClosed).isTrue();
    clock.forwardMillis(10_000);
    assertThat(registry.streams).hasSize(2);
  }

  @Test
  void streamEnds_whenReservedAndRegistryGone_asksForUnboundPortsAsRequestedAndBoundOnesAsAlreadyBound() {
    LeaseHandshake lease = open(register("slow", endpoint("http"), endpoint("metrics")));
    int http = lease.ports().get("http");
    int metrics = lease.ports().get("metrics");
    listening.add(metrics); // the program listens on one port so far

    registry.last().end(Status.UNAVAILABLE.withDescription("registry restarted"));
    clock.forwardMillis(50);

    FakeAttachRegistry.Stream again = registry.last();
    assertThat(again.register().getEndpointsList()).containsExactly(
        EndpointRequest.newBuilder().setName("http").setPort(http).setAlreadyBound(false).build(),
        EndpointRequest.newBuilder().setName("metrics").setPort(metrics).setAlreadyBound(true).build());
    assertThat(again.kinds()).as("ready waits for the owner").containsExactly(KindCase.REGISTER);
    assertThat(lease.isLive()).isFalse();

    listening.add(http);
    lease.ready();

    assertThat(again.kinds()).containsExactly(KindCase.REGISTER, KindCase.READY);
    assertThat(lease.isLive()).isTrue();
    assertThat(lease.ports()).containsEntry("http", http).containsEntry("metrics", metrics);
  }

  @Test
  void streamEnds_whenReservedWithARefusal_failsTheLeaseWithoutRetrying() {
    LeaseHandshake lease = open(register("slow", endpoint("main")));

    registry.last().end(Status.DEADLINE_EXCEEDED.withDescription("no ready within 30000 ms"));

    assertThat(clock.pendingTasks()).isZero();
    assertThatThrownBy(lease::ready).isInstanceOfSatisfying(BerthException.class,
            e -> assertThat(e.status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED))
        .hasMessageContaining("no ready within 30000 ms").hasMessageContaining("(slow, going live)");
  }

  @Test
  void streamEnds_whenTheSchedulerIsShutDown_failsTheLeaseAsBerthClosed() {
    LeaseHandshake lease = open(register("slow", endpoint("main")));
    clock.scheduler().shutdownNow(); // Berth.close() stops the connection's scheduler

    registry.last().end(Status.UNAVAILABLE);

    assertThatThrownBy(lease::ready).isInstanceOfSatisfying(BerthException.class,
            e -> assertThat(e.status().getCode()).isEqualTo(Status.Code.CANCELLED))
        .hasMessageContaining("Berth closed");
  }

  @Test
  void reattach_ofAUnixSocketEndpoint_sendsItsPathUnchangedWithoutPortOrAlreadyBound() {
    EndpointRequest unix = EndpointRequest.newBuilder().setName("admin").setUnixPath("/run/user/1000/web.sock").build();
    LeaseHandshake lease = live(register("web", endpoint("http"), unix));
    int http = lease.ports().get("http");

    registry.last().end(Status.UNAVAILABLE);
    clock.forwardMillis(50);

    assertThat(registry.last().register().getEndpointsList()).containsExactly(
        EndpointRequest.newBuilder().setName("http").setPort(http).setAlreadyBound(true).build(), unix);
    assertThat(lease.isLive()).isTrue();
  }
}
