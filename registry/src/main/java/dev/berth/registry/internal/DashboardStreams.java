package dev.berth.registry.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.berth.registry.internal.DashboardStream.Kind;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The dashboard's open event streams and what feeds them, by the timing rules of {@code
 * docs/dashboard.md}: {@code state} after each change, at most one per {@link Timing#coalesce}
 * and always the newest; {@code edges} every {@link Timing#tick}; {@code stacks} every tick when
 * it changed (kept apart for owners, whose stacks have log tails, and for readers); a {@code : ping} every
 * {@link Timing#ping}; at most {@link Timing#maxStreams} streams.
 *
 * <p>Threads. Each stream has its own thread ({@link DashboardStream}), because the JDK's
 * {@code HttpServer} writes with blocking socket writes: a single writer would be held up by
 * the slowest browser, and the HTTP side's one request thread must stay free for {@code
 * /metrics}, {@code /sd} and {@code /v1}. The handler only hands the exchange over and returns.
 * The feeds are read on {@code ticker}, one thread, and what it reads is posted to every stream
 * (posting never blocks), so {@code edges} is scraped once per tick however many pages are open.
 * The ticker's tasks exist only while a stream is open: with no page open nothing is read,
 * scraped or woken, and the ticker's thread times out.
 *
 * <p>Thread-safe: one lock guards the set of streams and what was last sent; feeds are never
 * read under it. {@link #stateChanged} is quick and never blocks (it runs on the thread that
 * changed the lease table).
 */
final class DashboardStreams implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(DashboardStreams.class.getName());

  /** The stream's timing rules and limits. */
  record Timing(Duration tick, Duration coalesce, Duration ping, int maxStreams, Duration closeBound) {
    static final Timing DEFAULT = new Timing(Duration.ofSeconds(1), Duration.ofMillis(50),
        Duration.ofSeconds(15), 16, Duration.ofSeconds(1));
  }

  private final DashboardFeed feed;
  private final ScheduledExecutorService ticker;
  private final LongSupplier nanos;
  private final Timing timing;
  private final String threadPrefix;

  private final Map<DashboardStream, Thread> open = new LinkedHashMap<>(); // guarded by this
  private final Set<Kind> failing = EnumSet.noneOf(Kind.class); // guarded by itself
  private ScheduledFuture<?> tickTask; // guarded by this; null while no stream is open
  private ScheduledFuture<?> pingTask; // guarded by this
  private ScheduledFuture<?> stateTask; // guarded by this; null unless a state event is due
  private boolean stateSent; // guarded by this
  private long stateSentNanos; // guarded by this
  private String lastEdges; // guarded by this; what a stream opened meanwhile starts with
  private String lastOwnerStacks; // guarded by this
  private String lastReaderStacks; // guarded by this
  private int opened; // guarded by this; numbers the threads
  private boolean closed; // guarded by this

  /**
   * Reads {@code feed} on {@code ticker} (not owned: the caller shuts it down), times the
   * coalescing of {@code state} with {@code nanos}, and names the stream threads {@code
   * threadPrefix + "stream-" + N}.
   */
  DashboardStreams(DashboardFeed feed, ScheduledExecutorService ticker, LongSupplier nanos,
      Timing timing, String threadPrefix) {
    this.feed = feed;
    this.ticker = ticker;
    this.nanos = nanos;
    this.timing = timing;
    this.threadPrefix = threadPrefix;
  }

  /**
   * Starts a stream on {@code exchange} (a GET that passed the guard), whose request carried the
   * owner cookie when {@code owner}. Returns null, or the one-line reason for a 503 (too many
   * streams, or closing), in which case the caller answers the exchange.
   */
  String open(HttpExchange exchange, boolean owner) {
    DashboardStream stream = new DashboardStream(exchange, owner, feed, this::ended);
    Thread thread;
    synchronized (this) {
      if (closed) {
        return "unavailable: the registry is stopping";
      }
      if (open.size() >= timing.maxStreams()) {
        return "unavailable: " + open.size() + " dashboard streams are open (expected: at most "
            + timing.maxStreams() + "; close a dashboard tab)";
      }
      thread = new Thread(stream, threadPrefix + "stream-" + ++opened);
      thread.setDaemon(true);
      if (lastEdges != null) {
        stream.post(Kind.EDGES, lastEdges);
      }
      open.put(stream, thread);
      if (open.size() == 1) {
        startTicking();
      }
    }
    thread.start();
    return null;
  }

  /** How many streams are open. */
  synchronized int openCount() {
    return open.size();
  }

  /**
   * The lease table or the conflicts changed: a {@code state} event goes out now, or when
   * {@link Timing#coalesce} has passed since the last one. Quick; never blocks.
   */
  synchronized void stateChanged() {
    if (open.isEmpty() || stateTask != null || closed) {
      return;
    }
    long wait = stateSent ? stateSentNanos + timing.coalesce().toNanos() - nanos.getAsLong() : 0;
    stateTask = schedule(() -> ticker.schedule(this::sendState, Math.max(0, wait), TimeUnit.NANOSECONDS));
  }

  private void startTicking() { // under this
    long tick = timing.tick().toNanos();
    long ping = timing.ping().toNanos();
    tickTask = schedule(() -> ticker.scheduleAtFixedRate(this::tick, 0, tick, TimeUnit.NANOSECONDS));
    pingTask = schedule(() -> ticker.scheduleAtFixedRate(this::ping, ping, ping, TimeUnit.NANOSECONDS));
  }

  private ScheduledFuture<?> schedule(Supplier<ScheduledFuture<?>> task) {
    try {
      return task.get();
    } catch (RejectedExecutionException stopping) {
      return null; // close() is under way
    }
  }

  private void tick() {
    boolean owners;
    boolean readers;
    synchronized (this) {
      owners = open.keySet().stream().anyMatch(DashboardStream::owner);
      readers = open.keySet().stream().anyMatch(s -> !s.owner());
    }
    if (owners) {
      sendStacks(true);
    }
    if (readers) {
      sendStacks(false);
    }
    String edges = read(Kind.EDGES, feed::edges);
    if (edges != null) {
      synchronized (this) {
        if (!open.isEmpty()) {
          lastEdges = edges;
          open.keySet().forEach(s -> s.post(Kind.EDGES, edges));
        }
      }
    }
  }

  private void sendStacks(boolean owner) {
    String stacks = read(Kind.STACKS, () -> feed.stacks(owner));
    if (stacks == null) {
      return;
    }
    synchronized (this) {
      if (stacks.equals(owner ? lastOwnerStacks : lastReaderStacks)) {
        return;
      }
      if (owner) {
        lastOwnerStacks = stacks;
      } else {
        lastReaderStacks = stacks;
      }
      open.keySet().stream().filter(s -> s.owner() == owner).forEach(s -> s.post(Kind.STACKS, stacks));
    }
  }

  private void sendState() {
    synchronized (this) {
      stateTask = null; // a change from here on schedules the next one: none is missed
      stateSent = true;
      stateSentNanos = nanos.getAsLong();
      if (open.isEmpty()) {
        return;
      }
    }
    String state = read(Kind.STATE, feed::state);
    if (state != null) {
      synchronized (this) {
        open.keySet().forEach(s -> s.post(Kind.STATE, state));
      }
    }
  }

  private synchronized void ping() {
    open.keySet().forEach(DashboardStream::ping);
  }

  /** A feed's event, or null when it failed (told once until it works again). */
  private String read(Kind kind, Supplier<String> event) {
    try {
      String json = event.get();
      synchronized (failing) {
        failing.remove(kind);
      }
      return json;
    } catch (RuntimeException e) {
      boolean first;
      synchronized (failing) {
        first = failing.add(kind);
      }
      LOG.log(first ? Level.WARNING : Level.DEBUG, "the dashboard's " + kind.event + " event failed", e);
      return null;
    }
  }

  private void ended(DashboardStream stream) {
    synchronized (this) {
      open.remove(stream);
      if (open.isEmpty()) {
        stopTicking();
      }
    }
  }

  private void stopTicking() { // under this
    for (ScheduledFuture<?> task : new ScheduledFuture<?>[] {tickTask, pingTask, stateTask}) {
      if (task != null) {
        task.cancel(false);
      }
    }
    tickTask = null;
    pingTask = null;
    stateTask = null;
    lastEdges = null; // a page opened later starts afresh, not with figures of long ago
    lastOwnerStacks = null;
    lastReaderStacks = null;
  }

  /**
   * Ends every stream and waits for their threads, at most {@link Timing#closeBound} in all. A
   * thread stuck in a write to a browser that stopped reading stays behind; it ends when the
   * HTTP server, stopped next, closes its connection. Idempotent.
   */
  @Override
  public void close() {
    List<Thread> threads;
    synchronized (this) {
      closed = true;
      open.keySet().forEach(DashboardStream::end);
      threads = new ArrayList<>(open.values());
      stopTicking();
    }
    long deadline = System.nanoTime() + timing.closeBound().toNanos();
    try {
      for (Thread t : threads) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
