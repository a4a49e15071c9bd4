package dev.berth.client.internal;

import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Ready;
import dev.berth.proto.v1.Register;
import io.grpc.Status;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings a lease back after its {@code Attach} stream ended (the registry restarted, was
 * killed, or refused a re-attach): waits a backoff on the {@link Clock}'s scheduler, opens a
 * new stream, registers the ports the lease holds again, and hands the stream back to the
 * lease once the registry grants them, as the protocol's "Reconnecting" section describes.
 *
 * <ul>
 *   <li>A lease that was live asks for each port with {@code already_bound} (the registry
 *       checks that the lease's process listens there), then sends {@code ready} itself.
 *   <li>A lease that was only reserved (its program may still be starting) asks for a port
 *       nobody listens on yet as a requested port, and one already held as {@code
 *       already_bound}; the lease's owner sends {@code ready} when its program listens.
 *   <li>A Unix socket endpoint is asked for with its {@code unix_path} unchanged (no port, no
 *       {@code already_bound}): the registry assigns nothing for it and checks the socket.
 *   <li>Any end of an attempt (a refusal such as {@code ALREADY_EXISTS}: someone took the
 *       port) is retried with the backoff: 50 ms doubling to 250 ms, 20 % jitter. An
 *       {@code assigned} naming other ports than the ones held cancels the attempt and retries.
 * </ul>
 *
 * <p>Lifecycle of one lease's re-attacher:
 *
 * <pre>
 * state       | what is going on                            | next
 * ------------+---------------------------------------------+----------------------------------------
 * IDLE        | the lease holds its own stream              | WAITING: {@link #start} (stream ended)
 * WAITING     | a backoff timer is set on the scheduler     | ATTACHING: the timer fires
 * ATTACHING   | an attempt stream is open, register sent    | IDLE: granted, stream handed to the lease
 *             |                                             | WAITING: the attempt ends or moved a port
 * TERMINATED  | {@link #cancel}: the lease was closed       | (final; a timer that fires does nothing)
 * FAILED      | the scheduler refused (Berth was closed)    | (final; the lease fails)
 * </pre>
 *
 * <p>Confined to its lease's lock: the lease calls every method holding it, and the timer task
 * takes it before touching anything. Time is read only from the {@link Clock}.
 */
final class Reattacher {
  /** The lease a re-attacher serves; called holding the lease's lock. */
  interface Owner extends AttachStream.Events {
    /** {@code stream} carries the lease again: live once more, or (live false) reserved again. */
    void resume(AttachStream stream, String instanceId, boolean live);

    /** Re-attaching cannot go on. */
    void fail(Status status);
  }

  private enum State { IDLE, WAITING, ATTACHING, TERMINATED, FAILED }

  private static final Logger logger = Logger.getLogger(Reattacher.class.getName());

  private final Object lock;
  private final Owner owner;
  private final AttachStream.Registry registry;
  private final Clock clock;
  private final Backoff backoff;
  private final IntPredicate listening;
  private final Register register;
  private final Map<String, EndpointRequest> unixEndpoints = new HashMap<>();

  private State state = State.IDLE;
  private boolean live; // the lease was live when its stream ended (else only reserved)
  private Map<String, Integer> ports = Map.of();
  private long awaySinceNanos;
  private ScheduledFuture<?> timer;
  private AttachStream attempt;
  private String instanceId = "";
  private Status.Code lastRefusal;

  /**
   * For the lease registered with {@code register}, guarded by {@code lock}; {@code listening}
   * says whether something on this machine listens on a port, as the registry would probe it.
   */
  Reattacher(Object lock, Owner owner, AttachStream.Registry registry, Clock clock, Backoff backoff,
      IntPredicate listening, Register register) {
    this.lock = lock;
    this.owner = owner;
    this.registry = registry;
    this.clock = clock;
    this.backoff = backoff;
    this.listening = listening;
    this.register = register;
    for (EndpointRequest e : register.getEndpointsList()) {
      if (!e.getUnixPath().isEmpty()) {
        unixEndpoints.put(e.getName().isEmpty() ? Names.MAIN : e.getName(), e);
      }
    }
  }

  /**
   * Whether a lease whose stream ended with {@code status} is re-attached: always once it was
   * {@code live} (the registry never ends a healthy lease); before {@code ready} only when the
   * registry went away ({@code UNAVAILABLE}), since any other status is a refusal of this lease.
   */
  static boolean takesOver(boolean live, Status status) {
    return live || status.getCode() == Status.Code.UNAVAILABLE;
  }

  /** True while a lease that was only reserved is being reserved again (its owner may wait for that). */
  boolean rebooking() {
    return (state == State.WAITING || state == State.ATTACHING) && !live;
  }

  /** The lease's stream ended with {@code why}: starts re-attaching {@code ports} after a backoff. */
  void start(Map<String, Integer> ports, boolean live, Status why) {
    if (state == State.TERMINATED || state == State.FAILED) {
      return;
    }
    this.ports = new LinkedHashMap<>(ports);
    this.live = live;
    this.lastRefusal = null;
    this.awaySinceNanos = clock.nanoTime();
    if (live) {
      logger.log(Level.INFO, "berth: lease of {0} lost ({1}); reconnecting", new Object[] {service(), why});
    } else {
      logger.log(Level.INFO, "berth: registry went away before {0} was ready ({1}); reserving {2} again",
          new Object[] {service(), why, ports});
    }
    schedule();
  }

  /** A response on a stream the lease does not hold: this re-attacher's attempt, or one it replaced. */
  void onResponse(AttachStream from, AttachResponse response) {
    if (from != attempt || state != State.ATTACHING) {
      return;
    }
    if (response.hasAssigned()) {
      instanceId = response.getAssigned().getInstanceId();
      for (Endpoint e : response.getAssigned().getEndpointsList()) {
        if (!Integer.valueOf(e.getPort()).equals(ports.get(e.getName()))) {
          logger.log(Level.WARNING, "berth: registry moved {0}/{1} to port {2}; retrying with {3}",
              new Object[] {service(), e.getName(), String.valueOf(e.getPort()), ports});
          attempt.cancel("assigned ports differ from the ports held");
          return;
        }
      }
      if (live) {
        attempt.send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());
      } else {
        granted("reserved again");
      }
    } else if (response.hasLive()) {
      instanceId = response.getLive().getInstanceId();
      granted("attached again");
    }
  }

  /** A stream the lease does not hold ended: if it is the attempt, tries again after a backoff. */
  void onEnded(AttachStream from, Status status) {
    if (from != attempt || state != State.ATTACHING) {
      return;
    }
    attempt = null;
    if (status.getCode() != Status.Code.UNAVAILABLE && status.getCode() != lastRefusal) {
      // a registry that refuses (say ALREADY_EXISTS: someone took the port) is retried with
      // backoff; say so once, not on every retry
      logger.log(Level.WARNING, "berth: re-attaching {0} failed: {1}; retrying", new Object[] {service(), status});
      lastRefusal = status.getCode();
    }
    schedule();
  }

  /** The lease was closed: no more attempts. Returns the attempt stream still open, for the lease to end. */
  AttachStream cancel() {
    state = State.TERMINATED;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    AttachStream open = attempt;
    attempt = null;
    return open;
  }

  private void schedule() {
    state = State.WAITING;
    try {
      timer = clock.scheduler().schedule(this::attemptNow, registry.retryDelayNanos(backoff), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      state = State.FAILED; // the connection is closed
      owner.fail(Status.CANCELLED.withDescription("Berth closed"));
    }
  }

  /** On the scheduler. */
  private void attemptNow() {
    registry.prepareReattach();
    synchronized (lock) {
      if (state != State.WAITING) {
        return;
      }
      state = State.ATTACHING;
      timer = null;
      attempt = registry.open(owner);
      attempt.send(AttachRequest.newBuilder().setRegister(registerAgain()).build());
    }
  }

  /**
   * The lease's {@code register} with the ports it holds. A live lease listens on them:
   * {@code already_bound}, which the registry checks. A lease that was only reserved may not
   * listen yet: its ports are asked for again as requested ports (reserved for it while free),
   * or as {@code already_bound} once its program holds them.
   */
  private Register registerAgain() {
    Register.Builder again = register.toBuilder().clearEndpoints();
    ports.forEach((name, port) -> {
      EndpointRequest unix = unixEndpoints.get(name);
      again.addEndpoints(unix != null ? unix : EndpointRequest.newBuilder()
          .setName(name).setPort(port).setAlreadyBound(live || listening.test(port)).build());
    });
    return again.build();
  }

  private void granted(String how) {
    logger.log(Level.INFO, "berth: {0} {1} as {2} on {3} after {4} ms", new Object[] {service(), how, instanceId,
        ports, String.valueOf(TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - awaySinceNanos))});
    state = State.IDLE;
    backoff.reset();
    AttachStream stream = attempt;
    attempt = null;
    owner.resume(stream, instanceId, live);
  }

  private String service() {
    return register.getService();
  }
}
