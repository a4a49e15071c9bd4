package dev.berth.client.internal;

import dev.berth.client.BerthException;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.RegistryInfo;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The connection of one {@code Berth} to the registry: a gRPC channel that attaches the
 * token to every call, and a scheduler thread for reconnect backoff.
 *
 * <p>{@link #channel()} is stable while the channel underneath is replaced by
 * {@link #rediscover()} when {@code registry.json} names another address. Nothing here does
 * I/O before the first call, so resolvers may create connections from any thread.
 *
 * <p>When nothing names an address (no {@code registry.json}, no explicit setting) there is no
 * channel underneath: calls fail at once with {@code UNAVAILABLE} and nothing is dialled, and
 * {@link #retryDelayNanos} slows the callers' retries to about one a second while they wait
 * for the file. That wait is logged once, not on every try.
 *
 * <p>Thread-safe: the current channel, address and token are guarded by {@code this}.
 */
public final class RegistryConnection implements AutoCloseable {
  /** The metadata key carrying the token on every registry RPC. */
  public static final Metadata.Key<String> TOKEN_KEY =
      Metadata.Key.of("berth-token", Metadata.ASCII_STRING_MARSHALLER);

  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Logger logger = Logger.getLogger(RegistryConnection.class.getName());
  // while no registry.json exists: retries grow to ~1 s (jitter included: >= 1 s)
  private static final Duration WAIT_INITIAL = Duration.ofMillis(100);
  private static final Duration WAIT_MAX = Duration.ofMillis(1250);

  private final RegistryLocator locator;
  private final Executor executor;
  private final ScheduledThreadPoolExecutor scheduler;
  private final Clock clock;
  private final Channel stable = new TokenChannel();

  private ManagedChannel current; // null while no address is known
  private HostPort address;
  private String token;
  private boolean closed;
  private boolean waiting; // no address known: waiting for registry.json
  private boolean waitLogged;
  private final Backoff waitBackoff = new Backoff(WAIT_INITIAL, WAIT_MAX);

  /** A connection found by {@code locator}; callbacks run on {@code executor} (null: gRPC's). */
  public RegistryConnection(RegistryLocator locator, Executor executor) {
    this.locator = locator;
    this.executor = executor;
    int id = IDS.incrementAndGet();
    this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "berth-registry-" + id);
      t.setDaemon(true);
      return t;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    this.clock = Clock.system(scheduler);
  }

  public RegistryLocator locator() {
    return locator;
  }

  /** A channel to the registry that adds the token; follows {@link #rediscover()}. */
  public Channel channel() {
    return stable;
  }

  /**
   * What leases and watches of this connection time with: real time, and this connection's
   * scheduler thread for backoff and grace timers (short tasks; it never blocks for long).
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Reads the registry's address and token again; if the address changed (a registry
   * restarted on another port), later calls go to the new one and calls still open on the
   * old one are cancelled, so their owners reconnect.
   */
  public void rediscover() {
    ManagedChannel old = null;
    synchronized (this) {
      if (closed) {
        return;
      }
      RegistryLocator.Location location = locator.locate();
      token = location.token();
      if (location.address() == null) {
        old = current; // nothing names that address any more: stop dialling it
        current = null;
      } else if (current != null && !location.address().equals(address)) {
        old = current;
        current = build(location.address());
      }
      address = location.address();
      noteAddress();
    }
    if (old != null) {
      old.shutdownNow();
    }
  }

  /** Makes a channel in connect backoff try again now; our own backoff paces the retries. */
  public void resetConnectBackoff() {
    ManagedChannel channel = current();
    if (channel != null) {
      channel.resetConnectBackoff();
    }
  }

  /**
   * The delay before a caller's next retry: {@code backoff}'s, or while no {@code registry.json}
   * names a registry, at least a growing wait that reaches about one second, so that a client
   * left running without a registry reads one small file a second and dials nothing.
   */
  public long retryDelayNanos(Backoff backoff) {
    long delay = backoff.nextDelayNanos();
    synchronized (this) {
      if (waiting) {
        delay = Math.max(delay, waitBackoff.nextDelayNanos());
      }
    }
    return delay;
  }

  /**
   * True if a registry answers the health check at the address found now, within
   * {@code timeout} ({@link HealthProbe}, on a fresh channel).
   */
  public boolean probe(Duration timeout) {
    HostPort where;
    synchronized (this) {
      if (closed) {
        return false;
      }
      if (!locator.isFixed() && RegistryLocator.readInfo(locator.stateDir()).isEmpty()) {
        // no registry runs for this state dir: whatever holds the default port belongs to
        // another state dir, would refuse our token, and must not be mistaken for ours
        return false;
      }
      where = locator.locate().address();
    }
    if (where == null) {
      return false;
    }
    return HealthProbe.answers(where, timeout);
  }

  /** "127.0.0.1:62893 (state dir /x)", for messages. */
  public synchronized String describe() {
    Optional<RegistryInfo> info = locator.isFixed()
        ? Optional.empty() : RegistryLocator.readInfo(locator.stateDir());
    if (!locator.isFixed() && info.isEmpty()) {
      return "in state dir " + locator.stateDir() + " (no registry.json)";
    }
    HostPort where = address != null ? address : locator.locate().address();
    if (where == null) {
      // what a registry killed with -9 leaves: a file nobody holding the lifetime lock wrote
      boolean stale = info.isPresent() && !StateDir.of(locator.stateDir()).registryRunning();
      return "in state dir " + locator.stateDir() + (stale
          ? " (registry.json is stale: pid " + info.get().getPid() + " no longer runs a registry here)"
          : " (registry.json names no address)");
    }
    return "at " + where + " (state dir " + locator.stateDir() + ")";
  }

  /** The error for "nobody answers", naming where we looked and what to do. */
  public BerthException unreachable(Throwable cause) {
    return new BerthException(Status.UNAVAILABLE.withDescription(
        "no Berth registry " + describe() + ": start one with 'berth registry start'"), cause);
  }

  /** Cancels every call to the registry and stops the scheduler; bounded, idempotent. */
  @Override
  public void close() {
    ManagedChannel channel;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      channel = current;
    }
    scheduler.shutdownNow();
    if (channel != null) {
      channel.shutdownNow();
    }
    if (!Thread.currentThread().getName().startsWith("berth-registry-")) {
      try {
        if (channel != null) {
          channel.awaitTermination(2, TimeUnit.SECONDS);
        }
        scheduler.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether a channel exists, i.e. some address was dialled or is about to be: for tests. */
  synchronized boolean hasChannel() {
    return current != null;
  }

  private synchronized ManagedChannel current() {
    if (current == null && !closed) {
      RegistryLocator.Location location = locator.locate();
      address = location.address();
      token = location.token();
      noteAddress();
      if (address != null) {
        current = build(address);
      }
    }
    return current;
  }

  /** Guarded by this: enters or leaves the wait for registry.json, logging each once. */
  private void noteAddress() {
    if (address == null && !waiting) {
      waiting = true;
      if (!waitLogged) {
        waitLogged = true;
        logger.log(Level.INFO, "berth: no registry.json in " + locator.stateDir() + " names a registry;"
            + " waiting for one to write it (" + RegistryLocator.PREFERRED_ADDRESS + " is not tried:"
            + " it may be another state dir's registry; $BERTH_REGISTRY names one directly)");
      }
    } else if (address != null && waiting) {
      waiting = false;
      waitLogged = false; // a later wait is news again
      waitBackoff.reset();
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private synchronized String token() {
    return token;
  }

  private ManagedChannel build(HostPort target) {
    ManagedChannelBuilder<?> builder = Grpc.newChannelBuilderForAddress(
            target.host(), target.port(), InsecureChannelCredentials.create())
        .proxyDetector(a -> null) // loopback: never through a proxy
        // the registry allows pings every 1 s; with a ping every 10 s a registry that
        // vanished without a reset is noticed and the lease re-attached
        .keepAliveTime(10, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS)
        .userAgent("berth-client");
    if (executor != null) {
      builder.executor(executor);
    }
    return builder.build();
  }

  /** Delegates to the current channel and attaches the token. */
  private final class TokenChannel extends Channel {
    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options) {
      ManagedChannel channel = current();
      if (channel == null) {
        return new NoRegistryCall<>(options.getExecutor() != null ? options.getExecutor()
            : executor != null ? executor : scheduler, Status.UNAVAILABLE.withDescription(isClosed()
                ? "Berth is closed" : "no Berth registry: no registry.json in " + locator.stateDir()));
      }
      return new SimpleForwardingClientCall<>(channel.newCall(method, options)) {
        @Override
        public void start(Listener<RespT> listener, Metadata headers) {
          String t = token();
          if (t != null) {
            headers.put(TOKEN_KEY, t);
          }
          super.start(listener, headers);
        }
      };
    }

    @Override
    public String authority() {
      ManagedChannel channel = current();
      return channel != null ? channel.authority() : "localhost";
    }
  }
}
