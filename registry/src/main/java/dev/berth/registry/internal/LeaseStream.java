package dev.berth.registry.internal;

import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import dev.berth.proto.v1.Assigned;
import dev.berth.proto.v1.BindFailed;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.Live;
import dev.berth.proto.v1.Register;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The registry's end of one {@code Attach} stream: the lease of one instance, from
 * {@code register} to the end of the stream.
 *
 * <pre>
 * state               event                           next       what happens
 * AWAITING_REGISTER   register                        RESERVED   ports reserved, assigned sent,
 *                                                                reservation deadline armed
 * AWAITING_REGISTER   registerTimeout passes          ENDED      DEADLINE_EXCEEDED
 * RESERVED            bind_failed                     RESERVED   another port, assigned again,
 *                                                                deadline re-armed
 * RESERVED            ready (listeners checked)       LIVE       berths remembered, live sent,
 *                                                                watchers told
 * RESERVED            reservation deadline passes     ENDED      EXPIRED, ports freed
 * any but ENDED       half-close, cancel, reset,      ENDED      lease removed, watchers told
 *                     bad message, registry shutdown             if it was live
 * </pre>
 *
 * In Guava {@code Service} words: AWAITING_REGISTER and RESERVED are STARTING, LIVE is
 * RUNNING, ENDED is TERMINATED (half-close) or FAILED (anything else); there is no STOPPING,
 * since the stream's end is the lease's end. Deadlines run on {@link RegistryParts#timer()}
 * and read {@link RegistryParts#ticker()}, so tests drive them with a fake clock.
 *
 * <p>Thread-safe: gRPC delivers this stream's messages one at a time on its events executor,
 * and the deadline and the registry's shutdown reach it from other threads, so every
 * transition holds this object's monitor (taken before the lease table's, never after).
 */
final class LeaseStream implements StreamObserver<AttachRequest> {

  private static final System.Logger LOG = System.getLogger(LeaseStream.class.getName());
  // each bind_failed costs a /proc scan; a client that fails this often is not going to bind
  private static final int MAX_BIND_FAILURES = 32;

  enum State { AWAITING_REGISTER, RESERVED, LIVE, ENDED }

  private final RegistryParts parts;
  private final ServerCallStreamObserver<AttachResponse> responses;
  private final Consumer<LeaseStream> onEnd;
  private final ListenCheck listenCheck;
  private final UnixSocketCheck unixCheck;
  // guarded by this
  private final LeaseDeadline deadline;
  private State state = State.AWAITING_REGISTER;
  private Registration registration;
  private String instanceId;
  private List<Endpoint> endpoints;
  private long reservationMillis;
  private final Set<Integer> refused = new HashSet<>();

  /** @param events where the stream's events run (off the transport thread, in order) */
  LeaseStream(RegistryParts parts, ServerCallStreamObserver<AttachResponse> responses,
      Consumer<LeaseStream> onEnd, Executor events, ListenCheck listenCheck,
      UnixSocketCheck unixCheck) {
    this.parts = parts;
    this.responses = responses;
    this.onEnd = onEnd;
    this.listenCheck = listenCheck;
    this.unixCheck = unixCheck;
    this.deadline = new LeaseDeadline(parts.timer(), parts.ticker(), events, this::expire);
    // a cancel (client gone, socket reset, keepalive timeout) ends the lease at once; queued
    // behind the stream's other events, so the transport thread never waits for this monitor
    responses.setOnCancelHandler(
        () -> events.execute(() -> end(RegistryMetrics.EndReason.BROKEN, null, false)));
    synchronized (this) {
      // a stream that never registers holds a slot of its connection and heap: bounded
      deadline.arm(parts.registerTimeout().toMillis());
    }
  }

  synchronized State state() {
    return state;
  }

  /** Runs on this stream's events (in order); the conflicts it met are reported after the monitor. */
  @Override
  public void onNext(AttachRequest request) {
    List<LeaseTable.Conflict> conflicts = new ArrayList<>();
    handle(request, conflicts);
    // after the answer went out, and outside the monitor: finding a holder scans /proc
    for (LeaseTable.Conflict c : conflicts) {
      parts.conflicts().report(c.namespace(), c.service(), c.endpoint(), c.inUse().port(),
          RegistryMetrics.Cause.IN_USE,
          c.inUse().sticky() ? "remembered port" : "pool port", c.inUse().bindError());
    }
  }

  private synchronized void handle(AttachRequest request, List<LeaseTable.Conflict> conflicts) {
    if (state == State.ENDED) {
      return;
    }
    try {
      switch (request.getKindCase()) {
        case REGISTER -> register(request.getRegister(), conflicts);
        case READY -> ready();
        case BIND_FAILED -> bindFailed(request.getBindFailed(), conflicts);
        default -> throw Names.invalid("AttachRequest: no kind set (expected: register, ready or bind_failed)");
      }
    } catch (StatusRuntimeException e) {
      end(RegistryMetrics.EndReason.BROKEN, e.getStatus(), false);
    } catch (PortRefused e) {
      end(RegistryMetrics.EndReason.BROKEN, parts.conflicts().refusal(registration.namespace(),
          registration.service(), e), false);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "Attach failed unexpectedly", e);
      end(RegistryMetrics.EndReason.BROKEN, Status.INTERNAL.withDescription(e.toString()), false);
    }
  }

  @Override
  public void onError(Throwable t) {
    end(RegistryMetrics.EndReason.BROKEN, null, false);
  }

  @Override
  public void onCompleted() {
    end(RegistryMetrics.EndReason.CLOSED, null, true);
  }

  /** Ends the stream because the registry is closing; not counted as a lease ending. */
  void shutdown(Status status) {
    end(null, status, false);
  }

  private void register(Register register, List<LeaseTable.Conflict> conflicts) {
    if (state != State.AWAITING_REGISTER) {
      throw precondition("register: a second register on one Attach stream "
          + "(expected: ready or bind_failed)");
    }
    registration = RegisterValidator.validate(register);
    deadline.cancel(); // the register deadline; the reservation's own starts with `assigned`
    for (Registration.EndpointSpec spec : registration.endpoints()) {
      if (spec.alreadyBound()) {
        // a client re-attaching after a registry restart listens there itself; anyone else
        // claiming that (a token holder after a stopped service's berth) is refused
        listenCheck.verify("already_bound", spec.name(), spec.requestedPort(), registration.pid());
      }
    }
    reservationMillis = register.getReservationMillis() > 0
        ? Integer.toUnsignedLong(register.getReservationMillis())
        : parts.reservationTimeout().toMillis();
    LeaseTable.Reservation r = parts.table().reserve(registration, conflicts);
    instanceId = r.instanceId();
    state = State.RESERVED;
    assigned(r);
  }

  private void ready() {
    if (state == State.AWAITING_REGISTER) {
      throw precondition("ready before register (expected: register first)");
    }
    if (state == State.LIVE) {
      throw precondition("ready: instance " + instanceId + " is already live (expected: one ready)");
    }
    // believe nothing unchecked: resolvers would point callers at a dead or foreign address
    // (an already_bound port was checked at register too: this later look is the one kept)
    List<ListenCheck.Listening> listening = new ArrayList<>();
    for (Endpoint e : endpoints) {
      if (e.getUnixPath().isEmpty()) {
        listening.add(listenCheck.verify("ready", e.getName(), e.getPort(), registration.pid()));
        unixCheck.verifyAlso("ready", e, registration.pid());
      } else {
        unixCheck.verify("ready", e.getName(), e.getUnixPath(), registration.pid());
        listening.add(new ListenCheck.Listening("", ""));
      }
    }
    deadline.cancel();
    for (Endpoint e : endpoints) {
      if (e.getUnixPath().isEmpty()) { // a Unix socket has a path of its own, no berth
        parts.sticky().remember(registration.namespace(), registration.service(), e.getName(),
            e.getPort());
      }
    }
    try {
      // before the instance is visible to anyone (Resolve, List and Watch answer on other
      // threads the moment it is marked live): once anyone has been told about a berth, a
      // kill -9 of the registry cannot lose it. Only when the map changed: a service coming
      // back on its remembered port costs no fsync (milliseconds on a disk)
      parts.sticky().persistIfChanged();
    } catch (IOException e) {
      // an unwritable state dir must not take the service down: it goes live, unremembered
      LOG.log(Level.WARNING, "cannot save the remembered ports: {0}", e.toString());
    }
    Optional<Instance> live = parts.table().markLive(instanceId, listening);
    if (live.isEmpty()) {
      throw Status.INTERNAL.withDescription("instance " + instanceId + " vanished").asRuntimeException();
    }
    state = State.LIVE;
    responses.onNext(AttachResponse.newBuilder()
        .setLive(Live.newBuilder().setInstanceId(instanceId)).build());
    parts.hub().publish(registration.namespace(), registration.service(),
        registration.endpointNames());
  }

  private void bindFailed(BindFailed failed, List<LeaseTable.Conflict> conflicts) {
    if (state != State.RESERVED) {
      throw precondition("bind_failed " + (state == State.LIVE ? "after ready" : "before register")
          + " (expected: bind_failed between assigned and ready)");
    }
    int index = BindFailedCheck.endpointIndex(failed, registration, endpoints);
    String name = endpoints.get(index).getName();
    int port = endpoints.get(index).getPort();
    String service = registration.service();
    parts.conflicts().report(registration.namespace(), service, name, port,
        RegistryMetrics.Cause.BIND_FAILED, "assigned port", failed.getError());
    if (registration.endpoints().get(index).requestedPort() != 0) {
      throw Status.ALREADY_EXISTS.withDescription(String.format(
          "endpoint %s port %d: bind failed (%s); held by %s (expected: a free port, "
              + "or port 0 to let the registry choose)",
          Names.quote(name), port, failed.getError(),
          parts.conflicts().describeHolder(port, ""))).asRuntimeException();
    }
    refused.add(port);
    if (refused.size() > MAX_BIND_FAILURES) {
      throw Status.RESOURCE_EXHAUSTED.withDescription(String.format(
          "bind_failed: %d times (expected: at most %d per instance)",
          refused.size(), MAX_BIND_FAILURES)).asRuntimeException();
    }
    deadline.cancel();
    assigned(parts.table().reassign(instanceId, index, refused, conflicts));
  }

  private void assigned(LeaseTable.Reservation r) {
    endpoints = r.endpoints();
    responses.onNext(AttachResponse.newBuilder().setAssigned(Assigned.newBuilder()
        .setInstanceId(r.instanceId())
        .addAllEndpoints(r.endpoints())
        .setReservationMillis((int) reservationMillis)).build());
    deadline.arm(reservationMillis);
  }

  /** On this stream's events, when the deadline's timer fired; a stale firing does nothing. */
  private synchronized void expire() {
    if (!deadline.isDue()) {
      return; // cancelled or moved (ready, bind_failed) after the timer fired
    }
    if (state == State.AWAITING_REGISTER) {
      end(null, Status.DEADLINE_EXCEEDED.withDescription(String.format(
          "Attach stream sent no register within %d ms (expected: register as the first message)",
          parts.registerTimeout().toMillis())), false);
    } else if (state == State.RESERVED) {
      end(RegistryMetrics.EndReason.EXPIRED, Status.DEADLINE_EXCEEDED.withDescription(String.format(
          "instance %s sent no ready within %d ms (expected: ready once the assigned ports are bound)",
          instanceId, reservationMillis)), false);
    }
  }

  /**
   * Removes the lease, tells watchers, and ends the stream: with {@code status} if given, else
   * completed if {@code complete}, else not at all (the client is already gone).
   */
  private synchronized void end(RegistryMetrics.EndReason reason, Status status, boolean complete) {
    if (state == State.ENDED) {
      return;
    }
    state = State.ENDED;
    deadline.cancel();
    if (instanceId != null) {
      LeaseTable.Removed removed = parts.table().remove(instanceId);
      if (removed != null) {
        if (reason != null) {
          parts.metrics().leaseEnded(reason);
        }
        if (removed.wasLive()) {
          parts.hub().publish(removed.namespace(), removed.service(), removed.endpoints());
        }
      }
    }
    try {
      if (status != null) {
        responses.onError(status.asRuntimeException());
      } else if (complete) {
        responses.onCompleted();
      }
    } catch (RuntimeException e) {
      // the call is already cancelled: nothing to tell
    }
    onEnd.accept(this);
  }

  private static StatusRuntimeException precondition(String description) {
    return Status.FAILED_PRECONDITION.withDescription(description).asRuntimeException();
  }
}
