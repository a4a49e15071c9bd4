package dev.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.BerthException;
import dev.berth.proto.v1.AttachRequest.KindCase;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Register;
import dev.berth.testing.FakeClock;
import io.grpc.Status;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The owner's steps of a lease against a fake registry: what is sent, what each step returns or throws. */
class LeaseHandshakeTest {
  final FakeClock clock = new FakeClock();
  final FakeAttachRegistry registry = new FakeAttachRegistry();
  final Set<Integer> listening = new HashSet<>();

  LeaseHandshake open(Register register) {
    return LeaseHandshake.open(registry, register, new Clock(clock.scheduler(), clock.ticker()),
        Backoff.forRegistry(() -> 0.5), listening::contains);
  }

  static Register register(String service) {
    return Register.newBuilder().setService(service).setPid(4242)
        .addEndpoints(EndpointRequest.newBuilder().setName("http")).build();
  }

  @Test
  void handshake_registerBindFailedReady_getsAnotherPortThenGoesLive() {
    LeaseHandshake lease = open(register("web"));
    int first = lease.ports().get("http");
    assertThat(lease.isLive()).isFalse();

    int second = lease.bindFailed("http", "Address already in use");
    lease.ready();

    assertThat(second).isNotEqualTo(first);
    assertThat(lease.ports()).containsEntry("http", second);
    assertThat(lease.isLive()).isTrue();
    assertThat(lease.instanceId()).isEqualTo("web-1");
    assertThat(registry.last().kinds()).containsExactly(KindCase.REGISTER, KindCase.BIND_FAILED, KindCase.READY);
    assertThat(registry.last().sent.get(1).getBindFailed().getPort()).isEqualTo(first);
  }

  @Test
  void open_whenRefused_throwsTheStatusNamingStepAndService() {
    registry.refuseRegister(Status.ALREADY_EXISTS.withDescription("port 8080 is held by pid 77"));

    assertThatThrownBy(() -> open(register("web"))).isInstanceOfSatisfying(BerthException.class,
            e -> assertThat(e.status().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS))
        .hasMessageContaining("port 8080 is held by pid 77")
        .hasMessageContaining("(web, asking for its ports)")
        .hasMessageNotContaining("\n");
    assertThat(clock.pendingTasks()).as("a refused register is not retried").isZero();
  }

  @Test
  void steps_outOfOrder_throwIllegalStateNamingTheState() {
    LeaseHandshake lease = open(register("web"));
    listening.addAll(lease.ports().values());
    lease.ready();

    assertThatThrownBy(lease::ready).isInstanceOf(IllegalStateException.class)
        .hasMessage("ready: lease is running (expected: reserved)");
    assertThatThrownBy(() -> lease.bindFailed("http", "x")).isInstanceOf(IllegalStateException.class)
        .hasMessage("bind_failed: lease is running (expected: reserved)");
  }

  @Test
  void close_halfClosesTheStreamOnceAndFailsLaterSteps() {
    LeaseHandshake lease = open(register("web"));

    lease.close();
    lease.close();

    assertThat(registry.last().halfClosed).isTrue();
    assertThat(registry.streams).hasSize(1);
    assertThatThrownBy(lease::ready).isInstanceOf(IllegalStateException.class)
        .hasMessage("ready: lease is terminated (expected: reserved)");
  }

  @Test
  void ready_whenTheRegistryGoesAwayWhileItIsInFlight_isSentAgainOnceReservedAgain() throws Exception {
    LeaseHandshake lease = open(register("slow"));
    int port = lease.ports().get("http");
    CountDownLatch gone = new CountDownLatch(1);
    registry.endOnReady(Status.UNAVAILABLE.withDescription("registry killed"), gone);

    CompletableFuture<Void> ready = CompletableFuture.runAsync(lease::ready);
    assertThat(gone.await(10, TimeUnit.SECONDS)).as("the registry saw ready and went away").isTrue();
    assertThat(ready).isNotDone();
    clock.forwardMillis(50); // the re-attach: the port reserved again, then ready sent again

    ready.get(10, TimeUnit.SECONDS);
    assertThat(lease.isLive()).isTrue();
    assertThat(registry.last().kinds()).containsExactly(KindCase.REGISTER, KindCase.READY);
    assertThat(registry.last().register().getEndpoints(0).getPort()).isEqualTo(port);
  }

  @Test
  void ready_inFlightWhenTheRegistryGoesAway_waitsWithinItsOwnStepOnly_thenFailsAndClosesTheLease() throws Exception {
    LeaseHandshake lease = open(register("slow"));
    CountDownLatch gone = new CountDownLatch(1);
    registry.endOnReady(Status.UNAVAILABLE.withDescription("registry killed"), gone);

    CompletableFuture<Void> ready = CompletableFuture.runAsync(lease::ready);
    assertThat(gone.await(10, TimeUnit.SECONDS)).as("the registry saw ready and went away").isTrue();
    // the clock is never moved: the re-reservation never happens. The caller is bounded by the
    // step it is in (HandshakeStep.TIMEOUT, 10 s of real time), not by the 30 s wait a ready()
    // called while the lease is away gets.
    assertThat(clock.pendingTasks()).as("the Reattacher is re-reserving").isEqualTo(1);

    assertThatThrownBy(() -> ready.get(HandshakeStep.TIMEOUT.toSeconds() + 20, TimeUnit.SECONDS))
        .cause().isInstanceOfSatisfying(BerthException.class,
            e -> assertThat(e.status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED))
        .hasMessage("the registry at fake did not answer 'ready' within 10s");
    assertThat(clock.pendingTasks()).as("closing the lease cancelled the re-reservation").isZero();
    assertThatThrownBy(lease::ready).isInstanceOf(IllegalStateException.class)
        .hasMessage("ready: lease is terminated (expected: reserved)");
  }
}
