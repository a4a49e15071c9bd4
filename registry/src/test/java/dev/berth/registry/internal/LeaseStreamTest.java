package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.BindFailed;
import dev.berth.proto.v1.Ready;
import dev.berth.proto.v1.Register;
import dev.berth.testing.FakeClock;
import dev.berth.testing.TestPools;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's end of the Attach stream, its deadlines driven by a fake clock. */
class LeaseStreamTest {

  private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RESERVATION = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock();
  private final FakeAttachObserver responses = new FakeAttachObserver();
  /** The stream's events, run only when the test says: the order a busy registry may see. */
  private final Queue<Runnable> events = new ArrayDeque<>();
  private TestParts test;

  @BeforeEach
  void setUp() throws Exception {
    dev.berth.testing.PortRange pool = TestPools.take(3);
    test = new TestParts(dir, PortPool.of(pool.first(), pool.last()), clock, REGISTER_TIMEOUT,
        RESERVATION);
  }

  private LeaseStream open(Executor events) {
    return new LeaseStream(test.parts, responses, s -> {}, events, test.listenCheck(),
        UnixSocketCheck.system());
  }

  private LeaseStream openDirect() {
    return open(Runnable::run);
  }

  private static AttachRequest register() {
    return AttachRequest.newBuilder().setRegister(Register.newBuilder().setService("orders")
        .setPid(ProcessHandle.current().pid())).build();
  }

  private static AttachRequest bindFailed(int port) {
    return AttachRequest.newBuilder().setBindFailed(BindFailed.newBuilder().setEndpoint("main")
        .setPort(port).setError("Address already in use")).build();
  }

  private double expired() {
    var c = test.meters.find(RegistryMetrics.LEASES_ENDED).tag("reason", "expired").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void open_whenNoRegisterWithinRegisterTimeout_endsWithDeadlineExceeded() {
    LeaseStream stream = openDirect();

    clock.forwardTime(REGISTER_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
    assertThat(stream.state()).isEqualTo(LeaseStream.State.AWAITING_REGISTER);
    assertThat(responses.errors).isEmpty();

    clock.forwardTime(1, TimeUnit.MILLISECONDS);
    assertThat(stream.state()).isEqualTo(LeaseStream.State.ENDED);
    assertThat(responses.errors).singleElement().satisfies(s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(s.getDescription()).contains("no register within 10000 ms");
    });
  }

  @Test
  void register_armsTheReservationDeadlineInsteadOfTheRegisterOne() {
    LeaseStream stream = openDirect();

    stream.onNext(register());

    assertThat(responses.last().hasAssigned()).isTrue();
    assertThat(clock.pendingDelaysMillis()).containsExactly(RESERVATION.toMillis());
    clock.forwardTime(REGISTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(stream.state()).isEqualTo(LeaseStream.State.RESERVED);
  }

  @Test
  void reservation_whenNoReadyInTime_expiresAndFreesThePort() {
    LeaseStream stream = openDirect();
    stream.onNext(register());
    assertThat(test.parts.table().size()).isEqualTo(1);

    clock.forwardTime(RESERVATION.toMillis() - 1, TimeUnit.MILLISECONDS);
    assertThat(stream.state()).isEqualTo(LeaseStream.State.RESERVED);

    clock.forwardTime(1, TimeUnit.MILLISECONDS);
    assertThat(stream.state()).isEqualTo(LeaseStream.State.ENDED);
    assertThat(test.parts.table().size()).isZero();
    assertThat(expired()).isEqualTo(1);
    assertThat(responses.errors).singleElement().satisfies(s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      assertThat(s.getDescription()).contains("sent no ready within 30000 ms");
    });
  }

  @Test
  void register_askingForALongerReservation_armsThatDeadline_pastTheDefault() {
    LeaseStream stream = openDirect();

    stream.onNext(AttachRequest.newBuilder().setRegister(register().getRegister().toBuilder()
        .setReservationMillis(90_000)).build());

    assertThat(responses.last().getAssigned().getReservationMillis()).isEqualTo(90_000);
    assertThat(clock.pendingDelaysMillis()).containsExactly(90_000L);
    clock.forwardTime(RESERVATION.toMillis() * 2, TimeUnit.MILLISECONDS); // the default, twice over
    assertThat(stream.state()).isEqualTo(LeaseStream.State.RESERVED);
    assertThat(responses.errors).isEmpty();
    clock.forwardTime(90_000 - RESERVATION.toMillis() * 2, TimeUnit.MILLISECONDS);
    assertThat(stream.state()).isEqualTo(LeaseStream.State.ENDED);
    assertThat(responses.errors).singleElement().satisfies(s ->
        assertThat(s.getDescription()).contains("sent no ready within 90000 ms"));
  }

  @Test
  void bindFailed_restartsTheReservationWindow() {
    LeaseStream stream = openDirect();
    stream.onNext(register());
    int first = responses.last().getAssigned().getEndpoints(0).getPort();

    clock.forwardTime(20, TimeUnit.SECONDS);
    stream.onNext(bindFailed(first));
    assertThat(responses.last().getAssigned().getEndpoints(0).getPort()).isNotEqualTo(first);

    clock.forwardTime(20, TimeUnit.SECONDS); // 40 s since register, 20 s since the new port
    assertThat(stream.state()).isEqualTo(LeaseStream.State.RESERVED);
    clock.forwardTime(10, TimeUnit.SECONDS);
    assertThat(stream.state()).isEqualTo(LeaseStream.State.ENDED);
    assertThat(expired()).isEqualTo(1);
  }

  @Test
  void expiry_thatFiredJustBeforeABindFailedMovedTheDeadline_isIgnored() {
    LeaseStream stream = open(events::add);
    stream.onNext(register());
    int first = responses.last().getAssigned().getEndpoints(0).getPort();

    // the timer fires, but the stream's events are busy: the expiry waits in line...
    clock.forwardTime(RESERVATION.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(events).hasSize(1);
    // ...behind a bind_failed that gives the instance a new port and a new window
    stream.onNext(bindFailed(first));
    events.remove().run();

    assertThat(stream.state()).isEqualTo(LeaseStream.State.RESERVED);
    assertThat(responses.errors).isEmpty();
    assertThat(expired()).isZero();
    clock.forwardTime(RESERVATION.toMillis(), TimeUnit.MILLISECONDS);
    events.remove().run();
    assertThat(stream.state()).isEqualTo(LeaseStream.State.ENDED);
  }

  @Test
  void ready_beforeTheDeadline_goesLiveAndCancelsIt() throws Exception {
    LeaseStream stream = openDirect();
    stream.onNext(register());
    int port = responses.last().getAssigned().getEndpoints(0).getPort();

    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      stream.onNext(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());

      assertThat(responses.last().hasLive()).isTrue();
      assertThat(stream.state()).isEqualTo(LeaseStream.State.LIVE);
      assertThat(clock.pendingTasks()).isZero();
      clock.forwardTime(1, TimeUnit.HOURS);
      assertThat(stream.state()).isEqualTo(LeaseStream.State.LIVE);
      assertThat(test.parts.table().liveCount()).isEqualTo(1);
    }
  }
}
