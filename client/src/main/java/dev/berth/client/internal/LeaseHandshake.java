package dev.berth.client.internal;

import dev.berth.client.Address;
import dev.berth.client.BerthException;
import dev.berth.local.PortProbe;
import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import dev.berth.proto.v1.BindFailed;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Ready;
import dev.berth.proto.v1.Register;
import io.grpc.Status;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The owner's end of one lease: the blocking handshake on its {@code Attach} stream
 * ({@code register} → {@code assigned} → the owner binds, {@code bind_failed} → another
 * {@code assigned} → {@code ready} → {@code live}), and what the lease holds after. Each step
 * is a {@link HandshakeStep}: it blocks the calling thread, for at most 10 s of real time. When
 * the stream ends on its own, the {@link Reattacher} brings the lease back on the same ports,
 * on the injected {@link Clock}, without the owner noticing.
 *
 * <pre>
 * state      | what holds                                | next
 * -----------+-------------------------------------------+--------------------------------------------
 * STARTING   | register sent, no ports yet               | RESERVED: assigned; FAILED: refused, 10 s
 * RESERVED   | ports reserved, the owner binds them;     | RESERVED: bind_failed; RUNNING: live; AWAY:
 *            | resolvers do not see the instance yet     | stream ends UNAVAILABLE; FAILED: otherwise
 * RUNNING    | live: resolvers see the instance          | AWAY: the stream ends (any status)
 * AWAY       | no stream, the Reattacher at work; ready  | RUNNING or RESERVED, as before: attached
 *            | called now waits (30 s) if it was         | again; FAILED: Berth closed
 *            | reserved; one in flight keeps its 10 s    |
 * TERMINATED | {@link #close}, from any state (no        | (final)
 *            | STOPPING: half-close waits 2 s at most)   |
 * FAILED     | refused, timed out, unreachable: steps    | TERMINATED: close
 *            | throw {@link BerthException}              |
 * </pre>
 *
 * <p>Thread-safe: all state, the Reattacher's included, is guarded by {@code lock}; gRPC
 * callbacks and the re-attach timer take it too, and messages are sent only while holding it.
 */
public final class LeaseHandshake implements AutoCloseable {
  private static final long CLOSE_WAIT_MILLIS = 2_000;
  /** How long {@link #ready} and {@link #bindFailed} wait for a registry to come back. */
  private static final Duration REBOOK_WAIT = Duration.ofSeconds(30);
  /** Whether a port that was only reserved is held by now, as the registry would probe it. */
  private static final PortProbe PROBE = new PortProbe();

  private enum State { STARTING, RESERVED, RUNNING, AWAY, TERMINATED, FAILED }

  private final AttachStream.Registry registry;
  private final Register register;
  private final Object lock = new Object();
  private final Events events = new Events();
  private final Reattacher reattacher;

  private State state = State.STARTING;
  private AttachStream stream; // null while AWAY and once ended
  private HandshakeStep pending;
  private String instanceId = "";
  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>(); // as assigned, in request order
  private Status failure;
  private boolean readyWanted; // ready() was called: send it again if the lease is reserved again

  private LeaseHandshake(AttachStream.Registry registry, Register register, Clock clock, Backoff backoff,
      IntPredicate listening) {
    this.registry = registry;
    this.register = register;
    this.reattacher = new Reattacher(lock, events, registry, clock, backoff, listening, register);
  }

  /** Sends {@code register} and waits for the ports the registry assigns (reserved, not yet visible). */
  public static LeaseHandshake open(RegistryConnection connection, Register register) {
    return open(AttachStream.Registry.of(connection), register, connection.clock(), Backoff.forRegistry(),
        port -> PROBE.held(port).any());
  }

  /** {@link #open(RegistryConnection, Register)} with every collaborator given, for tests. */
  static LeaseHandshake open(AttachStream.Registry registry, Register register, Clock clock, Backoff backoff,
      IntPredicate listening) {
    LeaseHandshake lease = new LeaseHandshake(registry, register, clock, backoff, listening);
    try {
      HandshakeStep step;
      synchronized (lease.lock) {
        step = lease.expect("register", AttachResponse.KindCase.ASSIGNED);
        lease.stream = registry.open(lease.events);
        lease.send(AttachRequest.newBuilder().setRegister(register).build());
      }
      lease.await(step);
    } catch (RuntimeException | Error e) {
      DebugAgentPort.release(register); // no lease carries this JVM's agent after all
      throw e;
    }
    return lease;
  }

  public String service() {
    return register.getService();
  }

  /** The current instance id (a registry restart gives a new one). */
  public String instanceId() {
    synchronized (lock) {
      return instanceId;
    }
  }

  /** Endpoint name to port (0 for a Unix socket endpoint), in request order. */
  public Map<String, Integer> ports() {
    synchronized (lock) {
      Map<String, Integer> ports = new LinkedHashMap<>();
      endpoints.forEach((name, e) -> ports.put(name, e.getPort()));
      return Collections.unmodifiableMap(ports);
    }
  }

  /** Endpoint name to address (the port on 127.0.0.1, or the Unix socket asked for), in request order. */
  public Map<String, Address> addresses() {
    synchronized (lock) {
      Map<String, Address> addresses = new LinkedHashMap<>();
      endpoints.forEach((name, e) -> addresses.put(name, Addresses.of(e)));
      return Collections.unmodifiableMap(addresses);
    }
  }

  /** True while the registry shows this instance to resolvers. */
  public boolean isLive() {
    synchronized (lock) {
      return state == State.RUNNING;
    }
  }

  /** Reports that {@code endpoint}'s port could not be bound; returns the new port assigned. */
  public int bindFailed(String endpoint, String error) {
    HandshakeStep step;
    synchronized (lock) {
      checkReserved("bind_failed");
      Endpoint assigned = endpoints.get(endpoint);
      if (assigned == null) {
        throw new IllegalArgumentException("endpoint: '" + endpoint + "' (expected one of " + endpoints.keySet() + ")");
      }
      step = expect("bind_failed", AttachResponse.KindCase.ASSIGNED);
      send(AttachRequest.newBuilder().setBindFailed(BindFailed.newBuilder()
          .setEndpoint(endpoint).setPort(assigned.getPort()).setError(error == null ? "" : error)).build());
    }
    await(step);
    synchronized (lock) {
      return endpoints.get(endpoint).getPort();
    }
  }

  /** Tells the registry every port is bound and waits until the instance is live. */
  public void ready() {
    HandshakeStep step;
    synchronized (lock) {
      checkReserved("ready");
      step = expect("ready", AttachResponse.KindCase.LIVE);
      readyWanted = true;
      send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());
    }
    await(step);
  }

  /** Ends the stream cleanly, so the instance disappears at once; bounded and idempotent. */
  @Override
  public void close() {
    AttachStream ending;
    synchronized (lock) {
      if (state == State.TERMINATED) {
        return;
      }
      state = State.TERMINATED;
      DebugAgentPort.release(register); // the next lease of this JVM may carry its agent
      AttachStream attempt = reattacher.cancel();
      failPending(Status.CANCELLED.withDescription("lease closed"));
      ending = stream != null ? stream : attempt;
      stream = null;
      lock.notifyAll();
    }
    if (ending != null) {
      ending.halfCloseAndAwait(CLOSE_WAIT_MILLIS);
    }
  }

  /** The stream's events (gRPC's thread) and the Reattacher's hand-back, all under the lock. */
  private final class Events implements Reattacher.Owner {
    @Override
    public void onResponse(AttachStream from, AttachResponse response) {
      synchronized (lock) {
        if (from != stream) {
          reattacher.onResponse(from, response);
          return;
        }
        if (response.hasAssigned()) {
          instanceId = response.getAssigned().getInstanceId();
          response.getAssigned().getEndpointsList().forEach(e -> endpoints.put(e.getName(), e));
          state = State.RESERVED;
        } else if (response.hasLive()) {
          instanceId = response.getLive().getInstanceId();
          state = State.RUNNING;
        }
        if (pending != null) {
          pending.complete(response);
          pending = null;
        }
        lock.notifyAll();
      }
    }

    @Override
    public void onEnded(AttachStream from, Status status) {
      synchronized (lock) {
        if (state == State.TERMINATED) {
          return;
        }
        if (from != stream) {
          reattacher.onEnded(from, status);
          return;
        }
        stream = null;
        boolean live = state == State.RUNNING;
        if ((live || state == State.RESERVED) && Reattacher.takesOver(live, status)) {
          if (!readyWanted) {
            failPending(status); // a ready in flight is sent again once the ports are reserved again
          }
          state = State.AWAY;
          reattacher.start(ports(), live, status); // may fail the lease at once: Berth is closed
        } else {
          fail(status);
        }
      }
    }

    @Override
    public void resume(AttachStream attached, String id, boolean live) { // the Reattacher holds the lock
      stream = attached;
      instanceId = id;
      state = live ? State.RUNNING : State.RESERVED; // reserved: the owner sends ready when its program listens
      if (!live && readyWanted) {
        send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());
      }
      lock.notifyAll();
    }

    @Override
    public void fail(Status status) { // the Reattacher (or onEnded) holds the lock
      state = State.FAILED;
      failure = status;
      failPending(status);
      lock.notifyAll();
    }
  }

  // ---- handshake helpers ------------------------------------------------------------------

  /** Guarded by lock. */
  private void send(AttachRequest request) {
    if (stream != null) {
      stream.send(request);
    }
  }

  /** Guarded by lock. */
  private HandshakeStep expect(String name, AttachResponse.KindCase kind) {
    pending = new HandshakeStep(name, kind);
    return pending;
  }

  /** Guarded by lock. */
  private void failPending(Status status) {
    if (pending != null) {
      pending.fail(status);
      pending = null;
    }
  }

  /** Guarded by lock: waits (bounded) while the ports are reserved again on a new registry, then checks. */
  private void checkReserved(String step) {
    HandshakeStep.awaitWhile(lock, () -> state == State.AWAY && reattacher.rebooking(), REBOOK_WAIT, step, registry);
    if (state == State.FAILED) {
      throw HandshakeStep.error(failure, step, service(), registry);
    }
    if (state != State.RESERVED) {
      throw new IllegalStateException(step + ": lease is " + state.name().toLowerCase() + " (expected: reserved)");
    }
  }

  /** Waits for {@code step}'s answer; on any failure, ends the lease and throws. */
  private void await(HandshakeStep step) {
    try {
      step.await(registry, service());
    } catch (BerthException e) {
      close();
      throw e;
    }
  }
}
