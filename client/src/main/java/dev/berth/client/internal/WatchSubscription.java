package dev.berth.client.internal;

import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.Snapshot;
import dev.berth.proto.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The registry's {@code Watch} on one endpoint of a service, as a {@link Discovery.Watch}
 * that survives registry restarts: every snapshot is pushed to the listener as it arrives
 * (no polling); when the stream breaks, the listener keeps what it had and the watch is
 * opened again with capped backoff.
 *
 * <p>After a reconnect, an empty snapshot is held back for {@link #REATTACH_GRACE}: a
 * restarted registry knows no instance until the instances re-attach, and they are still
 * alive and listening. A non-empty snapshot, or the end of the grace, ends the hold.
 *
 * <p>Lifecycle (one row per state; the listener sees only the deliveries):
 * <pre>
 * state         what holds                              event                 next
 * STARTING      no stream yet; nothing delivered        snapshot              RUNNING, list delivered
 *                                                       stream ends           STARTING, onError, retry after backoff
 * RUNNING       a stream open; each new list delivered  stream ends           RECONNECTING, last list stands
 *                                                       empty snapshot in     HOLDING, timer armed
 *                                                       the grace, a list
 *                                                       delivered before
 * RECONNECTING  retry after backoff, registry.json      stream opens          RUNNING, grace of 3 s starts
 *               read again on each try
 * HOLDING       an empty snapshot within the grace,     non-empty snapshot    RUNNING, delivered, timer cancelled
 *               held back; grace timer armed            grace ends            RUNNING, the empty list delivered
 *                                                       stream ends           RECONNECTING, held until grace ends
 * TERMINATED    nothing more is delivered               (close(), or the connection closed)
 * </pre>
 * Every state goes to TERMINATED on {@link #close}. The retry and grace timers run on the
 * injected scheduler and read the injected ticker, so tests drive them with a fake clock.
 *
 * <p>Thread-safe: state is guarded by {@code this}. The listener is never called while that
 * lock is held: calls are queued under it and run after it is released through a
 * {@link SynchronizationContext}, so they keep the order of the events and never overlap,
 * on a gRPC or scheduler thread, and a slow listener never holds up {@link #close}.
 */
public final class WatchSubscription implements Discovery.Watch {
  /** How long an empty snapshot is held back after a reconnect. */
  public static final Duration REATTACH_GRACE = Duration.ofSeconds(3);

  private static final Logger logger = Logger.getLogger(WatchSubscription.class.getName());

  private final RegistryConnection connection;
  private final Clock clock;
  private final WatchRequest request;
  private final Discovery.Listener listener;
  private final SynchronizationContext delivery;
  private final Backoff backoff = Backoff.forRegistry();

  private Attempt current;
  private boolean delivered;
  private List<Discovery.Found> lastDelivered = List.of();
  private boolean reconnected;
  private long graceEndsNanos;
  private List<Discovery.Found> heldBack;
  private ScheduledFuture<?> retryTimer;
  private ScheduledFuture<?> graceTimer;
  private volatile boolean closed; // written under this; read without it by queued deliveries

  private WatchSubscription(RegistryConnection connection, Clock clock, WatchRequest request,
      Discovery.Listener listener) {
    this.connection = connection;
    this.clock = clock;
    this.request = request;
    this.listener = listener;
    String name = Names.display(request.getService(), request.getEndpoint());
    this.delivery = new SynchronizationContext((thread, e) ->
        logger.log(Level.WARNING, "berth: watch listener for " + name + " threw", e));
  }

  /** Starts watching; returns at once. Timers run on the connection's {@link Clock}. */
  public static WatchSubscription start(
      RegistryConnection connection, String service, String endpoint, Discovery.Listener listener) {
    return start(connection, new BerthTarget(service, endpoint), listener);
  }

  /** Starts watching {@code name} in its namespace; returns at once. */
  public static WatchSubscription start(
      RegistryConnection connection, BerthTarget name, Discovery.Listener listener) {
    return start(connection, connection.clock(), name, listener);
  }

  /**
   * Starts watching; returns at once. The first attempt, the retries and the grace timer run
   * on {@code clock}'s scheduler and read its ticker (the lease's {@code Reattacher} uses the
   * same pair).
   */
  static WatchSubscription start(RegistryConnection connection, Clock clock,
      String service, String endpoint, Discovery.Listener listener) {
    return start(connection, clock, new BerthTarget(service, endpoint), listener);
  }

  static WatchSubscription start(RegistryConnection connection, Clock clock, BerthTarget name,
      Discovery.Listener listener) {
    WatchSubscription watch = new WatchSubscription(connection, clock, WatchRequest.newBuilder()
        .setService(name.service()).setEndpoint(name.endpoint()).setNamespace(name.namespace()).build(),
        listener);
    synchronized (watch) {
      try {
        watch.schedule(0);
      } catch (RejectedExecutionException e) {
        watch.closed = true;
        watch.delivery.executeLater(
            () -> listener.onError(Status.UNAVAILABLE.withDescription("Berth is closed")));
      }
    }
    watch.delivery.drain();
    return watch;
  }

  /** Cancels the watch; see {@link Discovery.Watch#close}. Idempotent, never blocks. */
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
        graceEndsNanos = clock.nanoTime() + REATTACH_GRACE.toNanos();
      }
    }
    RegistryGrpc.newStub(connection.channel()).watch(request, attempt);
    synchronized (this) {
      if (closed) {
        attempt.call.cancel("watch closed", null); // closed while the call was starting
      }
    }
  }

  private void onSnapshot(Attempt from, Snapshot snapshot) {
    List<Discovery.Found> addresses = List.copyOf(Addresses.found(snapshot.getTargetsList()));
    synchronized (this) {
      if (from != current || closed || snapshot.getVersion() < from.version) {
        return;
      }
      from.version = snapshot.getVersion();
      backoff.reset();
      if (!hold(addresses)) {
        endHold();
        deliver(addresses);
      }
    }
    delivery.drain();
  }

  /** Guarded by this: holds back an empty list within the grace; false if it is not held. */
  private boolean hold(List<Discovery.Found> addresses) {
    long now = clock.nanoTime();
    if (!addresses.isEmpty() || lastDelivered.isEmpty() || !reconnected || now >= graceEndsNanos) {
      return false;
    }
    try {
      if (heldBack == null) {
        graceTimer = clock.scheduler().schedule(this::endGrace, graceEndsNanos - now, TimeUnit.NANOSECONDS);
      }
      heldBack = addresses;
      return true;
    } catch (RejectedExecutionException e) {
      return false; // closing: deliver at once
    }
  }

  private void endGrace() {
    synchronized (this) {
      if (heldBack != null && !closed) {
        List<Discovery.Found> addresses = heldBack;
        heldBack = null;
        deliver(addresses);
      }
    }
    delivery.drain();
  }

  private void onEnded(Attempt from, Status status) {
    synchronized (this) {
      if (from != current || closed) {
        return;
      }
      current = null;
      reconnected = true;
      if (!delivered) {
        delivery.executeLater(() -> {
          if (!closed) {
            // describe() may read registry.json: never under our lock
            listener.onError(Status.UNAVAILABLE
                .withDescription("no Berth registry " + connection.describe())
                .withCause(status.asRuntimeException()));
          }
        });
      }
      try {
        schedule(connection.retryDelayNanos(backoff));
      } catch (RejectedExecutionException e) {
        // the connection is closed: no retry, so nothing more will come (the error above
        // is still delivered: it is not a close() of this watch)
      }
    }
    delivery.drain();
  }

  /** Guarded by this. */
  private void schedule(long delayNanos) {
    retryTimer = clock.scheduler().schedule(this::open, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Guarded by this. */
  private void endHold() {
    if (heldBack != null) {
      heldBack = null;
      graceTimer.cancel(false);
    }
  }

  /** Guarded by this: queues the call; the caller drains {@link #delivery} once it lets go. */
  private void deliver(List<Discovery.Found> addresses) {
    if (delivered && addresses.equals(lastDelivered)) {
      return;
    }
    delivered = true;
    lastDelivered = addresses;
    delivery.executeLater(() -> {
      if (!closed) {
        listener.onFound(addresses);
      }
    });
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
