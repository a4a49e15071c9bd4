package dev.berth.client.internal;

import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.Snapshot;
import dev.berth.proto.v1.Target;
import dev.berth.proto.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code Watch} on one endpoint of a service that survives registry restarts: every
 * snapshot is pushed to the listener as it arrives (no polling); when the stream breaks,
 * the listener keeps what it had and the watch is opened again with capped backoff.
 *
 * <p>After a reconnect, an empty snapshot is held back for {@link #REATTACH_GRACE}: a
 * restarted registry knows no instance until the instances re-attach, and they are still
 * alive and listening. A non-empty snapshot, or the end of the grace, ends the hold.
 *
 * <p>Thread-safe: state is guarded by {@code this}; the listener is called while holding
 * it, one call at a time, on a gRPC or scheduler thread. Listeners must not block.
 */
public final class WatchSubscription implements AutoCloseable {
  /** How long an empty snapshot is held back after a reconnect. */
  public static final Duration REATTACH_GRACE = Duration.ofSeconds(3);

  /** Receives the watch's results. */
  public interface Listener {
    /** The live targets now, in the order they became live; empty if none. */
    void onTargets(List<Target> targets);

    /** The registry could not be reached and nothing is known yet. */
    void onUnavailable(Status status);
  }

  private final RegistryConnection connection;
  private final WatchRequest request;
  private final Listener listener;
  private final Backoff backoff = Backoff.forRegistry();

  private Attempt current;
  private boolean delivered;
  private List<Target> lastDelivered = List.of();
  private boolean reconnected;
  private long graceEndsNanos;
  private List<Target> heldBack;
  private ScheduledFuture<?> retryTimer;
  private ScheduledFuture<?> graceTimer;
  private boolean closed;

  private WatchSubscription(RegistryConnection connection, WatchRequest request, Listener listener) {
    this.connection = connection;
    this.request = request;
    this.listener = listener;
  }

  /** Starts watching; returns at once. The first attempt runs on the connection's scheduler. */
  public static WatchSubscription start(
      RegistryConnection connection, String service, String endpoint, Listener listener) {
    WatchSubscription watch = new WatchSubscription(connection,
        WatchRequest.newBuilder().setService(service).setEndpoint(endpoint).build(), listener);
    synchronized (watch) {
      try {
        watch.schedule(0);
      } catch (RejectedExecutionException e) {
        watch.closed = true;
        listener.onUnavailable(Status.UNAVAILABLE.withDescription("Berth is closed"));
      }
    }
    return watch;
  }

  /** Cancels the watch; the listener is not called afterwards. Idempotent, non-blocking. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (retryTimer != null) {
      retryTimer.cancel(false);
    }
    if (graceTimer != null) {
      graceTimer.cancel(false);
    }
    if (current != null && current.call != null) {
      current.call.cancel("watch closed", null);
    }
    current = null;
  }

  private void open() {
    if (reconnected) {
      connection.rediscover();
      connection.resetConnectBackoff();
    }
    Attempt attempt = new Attempt();
    synchronized (this) {
      if (closed) {
        return;
      }
      current = attempt;
      if (reconnected) {
        graceEndsNanos = System.nanoTime() + REATTACH_GRACE.toNanos();
      }
    }
    RegistryGrpc.newStub(connection.channel()).watch(request, attempt);
    synchronized (this) {
      if (closed) {
        attempt.call.cancel("watch closed", null); // closed while the call was starting
      }
    }
  }

  private synchronized void onSnapshot(Attempt from, Snapshot snapshot) {
    if (from != current || closed || snapshot.getVersion() < from.version) {
      return;
    }
    from.version = snapshot.getVersion();
    backoff.reset();
    List<Target> targets = List.copyOf(snapshot.getTargetsList());
    if (targets.isEmpty() && !lastDelivered.isEmpty() && reconnected
        && System.nanoTime() < graceEndsNanos) {
      try {
        if (heldBack == null) {
          graceTimer = connection.scheduler().schedule(
              this::endGrace, graceEndsNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        heldBack = targets;
        return;
      } catch (RejectedExecutionException e) {
        // closing: deliver at once below
      }
    }
    endHold();
    deliver(targets);
  }

  private synchronized void endGrace() {
    if (heldBack != null && !closed) {
      List<Target> targets = heldBack;
      heldBack = null;
      deliver(targets);
    }
  }

  private synchronized void onEnded(Attempt from, Status status) {
    if (from != current || closed) {
      return;
    }
    current = null;
    reconnected = true;
    if (!delivered) {
      listener.onUnavailable(status);
    }
    try {
      schedule(connection.retryDelayNanos(backoff));
    } catch (RejectedExecutionException e) {
      closed = true; // the connection is closed: nothing more will come
    }
  }

  /** Guarded by this. */
  private void schedule(long delayNanos) {
    retryTimer = connection.scheduler().schedule(this::open, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Guarded by this. */
  private void endHold() {
    if (heldBack != null) {
      heldBack = null;
      graceTimer.cancel(false);
    }
  }

  /** Guarded by this. */
  private void deliver(List<Target> targets) {
    if (delivered && targets.equals(lastDelivered)) {
      return;
    }
    delivered = true;
    lastDelivered = targets;
    listener.onTargets(targets);
  }

  /** One Watch call; its events are ignored once another attempt replaced it. */
  private final class Attempt implements ClientResponseObserver<WatchRequest, Snapshot> {
    ClientCallStreamObserver<WatchRequest> call;
    long version;

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> call) {
      this.call = call;
    }

    @Override
    public void onNext(Snapshot snapshot) {
      onSnapshot(this, snapshot);
    }

    @Override
    public void onError(Throwable t) {
      onEnded(this, Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      onEnded(this, Status.UNAVAILABLE.withDescription("the registry ended the watch"));
    }
  }
}
