package dev.berth.client.internal;

import dev.berth.client.Address;
import dev.berth.client.BerthException;
import dev.berth.local.PortProbe;
import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import dev.berth.proto.v1.Assigned;
import dev.berth.proto.v1.BindFailed;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Ready;
import dev.berth.proto.v1.Register;
import io.grpc.Status;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One lease: the {@code Attach} stream of one instance, from {@code register} to close.
 *
 * <p>The handshake ({@link #open}, {@link #bindFailed}, {@link #ready}) is driven by the
 * caller and blocks for at most {@link #STEP_TIMEOUT} per step. Once live, the session keeps
 * itself alive: when the stream breaks (registry restarted or killed) it reconnects with
 * capped, jittered backoff and re-registers the ports it holds with {@code already_bound},
 * so the instance comes back on the same ports without its owner noticing. A lease that is
 * only reserved when the registry goes away reserves the same ports again on the next one
 * ({@code berth run} may be waiting for its child to listen on them).
 *
 * <p>Thread-safe: all state is guarded by {@code lock}; gRPC callbacks and the reconnect
 * timer take it too, and messages are sent on the stream only while holding it.
 */
public final class AttachSession implements AutoCloseable, AttachStream.Events {
  /** How long one handshake step may wait for the registry. */
  public static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

  private static final Logger logger = Logger.getLogger(AttachSession.class.getName());
  private static final long CLOSE_WAIT_MILLIS = 2_000;
  /** Whether a port that was only reserved is held by now, as the registry would probe it. */
  private static final PortProbe PROBE = new PortProbe();

  /**
   * REATTACHING: was live, the stream broke, re-attaching on the same ports. REBOOKING: was
   * reserved (the owner's program may be starting on those ports), the registry went away,
   * reserving the same ports again on the next one; {@link #ready} waits for it.
   */
  private enum State { NEW, RESERVED, LIVE, REATTACHING, REBOOKING, FAILED, CLOSED }

  /** How long {@link #ready} and {@link #bindFailed} wait for a registry to come back. */
  private static final Duration REBOOK_WAIT = Duration.ofSeconds(30);

  private final RegistryConnection connection;
  private final Register register;
  private final Object lock = new Object();
  private final Backoff backoff = Backoff.forRegistry();

  private State state = State.NEW;
  private AttachStream stream;
  private CompletableFuture<AttachResponse> pending;
  private String instanceId = "";
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private final Map<String, Address> addresses = new LinkedHashMap<>(); // the same endpoints
  private Status failure;
  private ScheduledFuture<?> retry;
  private Status.Code lastRefusal;
  private boolean readyWanted; // ready() was called: send it again if the lease is re-reserved

  private AttachSession(RegistryConnection connection, Register register) {
    this.connection = connection;
    this.register = register;
  }

  /** Sends {@code register} and waits for the ports the registry assigns (reserved, not yet visible). */
  public static AttachSession open(RegistryConnection connection, Register register) {
    AttachSession session = new AttachSession(connection, register);
    CompletableFuture<AttachResponse> answer;
    synchronized (session.lock) {
      answer = session.expectAnswer();
      session.openStream(register);
    }
    session.await(answer, "register", AttachResponse.KindCase.ASSIGNED);
    return session;
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

  /** Endpoint name to port, in request order. */
  public Map<String, Integer> ports() {
    synchronized (lock) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(ports));
    }
  }

  /** Endpoint name to address (127.0.0.1 and the port, or the Unix socket asked for), in request order. */
  public Map<String, Address> addresses() {
    synchronized (lock) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
    }
  }

  /** True while the registry shows this instance to resolvers. */
  public boolean isLive() {
    synchronized (lock) {
      return state == State.LIVE;
    }
  }

  /** Reports that {@code endpoint}'s port could not be bound; returns the new port assigned. */
  public int bindFailed(String endpoint, String error) {
    CompletableFuture<AttachResponse> answer;
    synchronized (lock) {
      awaitRebooked("bind_failed");
      checkState(State.RESERVED, "bind_failed");
      Integer port = ports.get(endpoint);
      if (port == null) {
        throw new IllegalArgumentException("endpoint: '" + endpoint + "' (expected one of " + ports.keySet() + ")");
      }
      answer = expectAnswer();
      send(AttachRequest.newBuilder().setBindFailed(BindFailed.newBuilder()
          .setEndpoint(endpoint).setPort(port).setError(error == null ? "" : error)).build());
    }
    await(answer, "bind_failed", AttachResponse.KindCase.ASSIGNED);
    synchronized (lock) {
      return ports.get(endpoint);
    }
  }

  /** Tells the registry every port is bound and waits until the instance is live. */
  public void ready() {
    CompletableFuture<AttachResponse> answer;
    synchronized (lock) {
      awaitRebooked("ready");
      checkState(State.RESERVED, "ready");
      answer = expectAnswer();
      readyWanted = true;
      send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());
    }
    await(answer, "ready", AttachResponse.KindCase.LIVE);
  }

  /** Ends the stream cleanly, so the instance disappears at once; bounded and idempotent. */
  @Override
  public void close() {
    AttachStream ending;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      if (retry != null) {
        retry.cancel(false);
      }
      failPending(Status.CANCELLED.withDescription("lease closed"));
      ending = stream;
      stream = null;
      lock.notifyAll();
    }
    if (ending != null) {
      ending.halfCloseAndAwait(CLOSE_WAIT_MILLIS);
    }
  }

  // ---- the stream -------------------------------------------------------------------------

  /** Guarded by lock. */
  private void openStream(Register message) {
    stream = AttachStream.open(connection.channel(), this);
    send(AttachRequest.newBuilder().setRegister(message).build());
  }

  /** Guarded by lock. */
  private void send(AttachRequest request) {
    if (stream != null) {
      stream.send(request);
    }
  }

  @Override
  public void onResponse(AttachStream from, AttachResponse response) {
    synchronized (lock) {
      if (from != stream) {
        return;
      }
      if (response.hasAssigned()) {
        onAssigned(response.getAssigned());
      } else if (response.hasLive()) {
        instanceId = response.getLive().getInstanceId();
        if (state == State.REATTACHING) {
          logger.log(Level.INFO, "berth: {0} attached again as {1} on {2}",
              new Object[] {service(), instanceId, ports});
        }
        state = State.LIVE;
        backoff.reset();
      }
      if (pending != null) {
        pending.complete(response);
        pending = null;
      }
      lock.notifyAll();
    }
  }

  /** Guarded by lock. */
  private void onAssigned(Assigned assigned) {
    instanceId = assigned.getInstanceId();
    if (state == State.REATTACHING || state == State.REBOOKING) {
      for (Endpoint e : assigned.getEndpointsList()) {
        if (!Integer.valueOf(e.getPort()).equals(ports.get(e.getName()))) {
          logger.log(Level.WARNING, "berth: registry moved {0}/{1} to port {2}; retrying with {3}",
              new Object[] {service(), e.getName(), String.valueOf(e.getPort()), ports});
          stream.cancel("assigned ports differ from the ports held");
          return;
        }
      }
      if (state == State.REBOOKING) {
        logger.log(Level.INFO, "berth: {0} reserved again as {1} on {2}",
            new Object[] {service(), instanceId, ports});
        state = State.RESERVED; // the owner sends ready when its program listens
        backoff.reset();
        if (readyWanted) {
          send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());
        }
        return;
      }
      send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());
      return;
    }
    for (Endpoint e : assigned.getEndpointsList()) {
      ports.put(e.getName(), e.getPort());
      addresses.put(e.getName(), Addresses.of(e));
    }
    state = State.RESERVED;
  }

  @Override
  public void onEnded(AttachStream from, Status status) {
    synchronized (lock) {
      if (from != stream || state == State.CLOSED) {
        return;
      }
      stream = null;
      boolean rebook = (state == State.RESERVED && status.getCode() == Status.Code.UNAVAILABLE)
          || state == State.REBOOKING;
      if (!(rebook && readyWanted)) {
        failPending(status); // a ready in flight is sent again once the ports are reserved again
      }
      if (state == State.LIVE || state == State.REATTACHING) {
        if (state == State.LIVE) {
          logger.log(Level.INFO, "berth: lease of {0} lost ({1}); reconnecting",
              new Object[] {service(), status});
          lastRefusal = null;
        } else if (status.getCode() != Status.Code.UNAVAILABLE && status.getCode() != lastRefusal) {
          // a registry that refuses (say ALREADY_EXISTS: someone took the port) is retried
          // with backoff; say so once, not on every retry
          logger.log(Level.WARNING, "berth: re-attaching {0} failed: {1}; retrying", new Object[] {service(), status});
          lastRefusal = status.getCode();
        }
        state = State.REATTACHING;
        scheduleReattach();
      } else if (rebook) {
        if (state == State.RESERVED) {
          logger.log(Level.INFO, "berth: registry went away before {0} was ready ({1}); reserving {2} again",
              new Object[] {service(), status, ports});
        }
        state = State.REBOOKING;
        scheduleReattach();
      } else {
        state = State.FAILED;
        failure = status;
      }
      lock.notifyAll();
    }
  }

  /** Guarded by lock. */
  private void scheduleReattach() {
    try {
      retry = connection.scheduler().schedule(this::reattach, connection.retryDelayNanos(backoff), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      state = State.FAILED; // the connection is closed
      failure = Status.CANCELLED.withDescription("Berth closed");
    }
  }

  private void reattach() {
    connection.rediscover();
    connection.resetConnectBackoff();
    synchronized (lock) {
      if (state != State.REATTACHING && state != State.REBOOKING) {
        return;
      }
      // A live lease listens on its ports: already_bound, which the registry checks. A lease
      // that was only reserved may not listen yet; its ports are asked for again as requested
      // ports (reserved for it while free), or as already_bound once its program holds them.
      boolean live = state == State.REATTACHING;
      Register.Builder again = register.toBuilder().clearEndpoints();
      // A Unix socket endpoint has no port: its path is asked for again, checked like ready.
      addresses.forEach((name, address) -> again.addEndpoints(address.isUnix()
          ? EndpointRequest.newBuilder().setName(name).setUnixPath(address.path().toString())
          : EndpointRequest.newBuilder().setName(name).setPort(address.port())
              .setAlreadyBound(live || PROBE.held(address.port()).any())));
      openStream(again.build());
    }
  }

  // ---- handshake helpers ------------------------------------------------------------------

  /** Guarded by lock. */
  private CompletableFuture<AttachResponse> expectAnswer() {
    pending = new CompletableFuture<>();
    return pending;
  }

  /** Guarded by lock. */
  private void failPending(Status status) {
    if (pending != null) {
      pending.completeExceptionally(status.asRuntimeException());
      pending = null;
    }
  }

  /** Guarded by lock: while the ports are being reserved again on a new registry, waits (bounded). */
  private void awaitRebooked(String step) {
    long deadline = System.nanoTime() + REBOOK_WAIT.toNanos();
    while (state == State.REBOOKING) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw connection.unreachable(Status.UNAVAILABLE.withDescription(
            "no registry came back within " + REBOOK_WAIT.toSeconds() + "s during '" + step + "'")
            .asRuntimeException());
      }
      try {
        lock.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BerthException(Status.CANCELLED.withDescription("interrupted during " + step), e);
      }
    }
  }

  /** Guarded by lock. */
  private void checkState(State expected, String step) {
    if (state == State.FAILED) {
      throw toException(failure, step);
    }
    if (state != expected) {
      throw new IllegalStateException(step + ": lease is " + state.name().toLowerCase() + " (expected: "
          + expected.name().toLowerCase() + ")");
    }
  }

  private void await(CompletableFuture<AttachResponse> answer, String step, AttachResponse.KindCase expected) {
    AttachResponse response;
    try {
      response = answer.get(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new BerthException(Status.CANCELLED.withDescription("interrupted during " + step), e);
    } catch (TimeoutException e) {
      close();
      throw new BerthException(Status.DEADLINE_EXCEEDED.withDescription(
          "the registry " + connection.describe() + " did not answer '" + step + "' within "
              + STEP_TIMEOUT.toSeconds() + "s"));
    } catch (ExecutionException e) {
      close();
      throw toException(Status.fromThrowable(e.getCause()), step);
    }
    if (response.getKindCase() != expected) {
      close();
      throw new BerthException(Status.INTERNAL.withDescription(
          "the registry answered '" + step + "' with " + response.getKindCase() + " (expected: " + expected + ")"));
    }
  }

  private BerthException toException(Status status, String step) {
    if (status.getCode() == Status.Code.UNAVAILABLE) {
      return connection.unreachable(status.asRuntimeException());
    }
    return new BerthException(status.augmentDescription("during '" + step + "' of " + service()));
  }
}
