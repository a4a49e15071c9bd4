package dev.berth.registry.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.berth.registry.internal.DashboardStream.Kind;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
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
 * it changed (kept apart for owners, whose stacks have log tails, and for readers); a {@code :
 * ping} every {@link Timing#ping}; at most {@link Timing#maxStreams} streams, {@link
 * Timing#ownerSlots} of them kept for the owner, so that readers (any local user) cannot take
 * them all.
 *
 * <p>Threads. Each stream has its own thread ({@link DashboardStream}), because the JDK's
 * {@code HttpServer} writes with blocking socket writes: a single writer would be held up by
 * the slowest browser, and the HTTP side's one request thread must stay free for {@code
 * /metrics}, {@code /sd} and {@code /v1}. The handler only hands the exchange over and returns.
 * The feeds are read on {@code ticker}, one thread, and what it reads is posted to every stream
 * (posting never blocks). {@code edges} is scraped on {@code scrapes} instead, once per tick
 * however many pages are open and never two at once, because a scrape may take up to 500 ms and
 * {@code state} must not wait behind it: a killed instance leaves the page within 50 ms of the
 * lease table's change. Each tick also ends a stream whose write has been stuck for more than
 * {@link Timing#writeBound} ({@link DashboardStream#endIfStuck}), which frees its slot. The
 * ticker's tasks exist only while a stream is open: with no page open nothing is read, scraped
 * or woken, and the ticker's thread times out.
 *
 * <p>Thread-safe: one lock guards the set of streams and what was last sent; feeds are never
 * read under it. {@link #stateChanged} is quick and never blocks (it runs on the thread that
 * changed the lease table).
 */
final class DashboardStreams implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(DashboardStreams.class.getName());

  /**
   * The stream's timing rules and limits: of {@code maxStreams}, {@code ownerSlots} only for
   * owners; a stream whose write is stuck for more than {@code writeBound} is ended.
   */
  record Timing(Duration tick, Duration coalesce, Duration ping, int maxStreams, int ownerSlots,
      Duration writeBound, Duration closeBound) {
    static final Timing DEFAULT = new Timing(Duration.ofSeconds(1), Duration.ofMillis(50),
        Duration.ofSeconds(15), 16, 4, Duration.ofSeconds(10), Duration.ofSeconds(1));
  }

  private final DashboardFeed feed;
  private final ScheduledExecutorService ticker;
  private final Executor scrapes;
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
  private boolean scraping; // guarded by this; an edges scrape is under way
  private int opened; // guarded by this; numbers the threads
  private boolean closed; // guarded by this

  /**
   * Reads {@code feed} on {@code ticker}, its edges on {@code scrapes} (neither owned: the caller
   * shuts them down), times the coalescing of {@code state} and stuck writes with {@code nanos},
   * and names the stream threads {@code threadPrefix + "stream-" + N}.
   */
  DashboardStreams(DashboardFeed feed, ScheduledExecutorService ticker, Executor scrapes,
      LongSupplier nanos, Timing timing, String threadPrefix) {
    this.feed = feed;
    this.ticker = ticker;
    this.scrapes = scrapes;
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
    DashboardStream stream = new DashboardStream(exchange, owner, feed, nanos, this::ended);
    Thread thread;
    synchronized (this) {
      if (closed) {
        return "unavailable: the registry is stopping";
      }
      if (open.size() >= timing.maxStreams()) {
        return "unavailable: " + open.size() + " dashboard streams are open (expected: at most "
            + timing.maxStreams() + "; close a dashboard tab)";
      }
      int forReaders = timing.maxStreams() - timing.ownerSlots();
      if (!owner && open.keySet().stream().filter(s -> !s.owner()).count() >= forReaders) {
        return "unavailable: " + forReaders + " dashboard streams without the owner cookie are open"
            + " (expected: at most " + forReaders + "; the other " + timing.ownerSlots()
            + " are kept for the owner; close a dashboard tab)";
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
    boolean scrape;
    long now = nanos.getAsLong();
    synchronized (this) {
      for (DashboardStream s : open.keySet()) {
        if (s.endIfStuck(now, timing.writeBound().toNanos())) { // its thread calls ended() soon
          LOG.log(Level.DEBUG, "a dashboard stream's write was stuck for more than {0}: ended",
              timing.writeBound());
        }
      }
      owners = open.keySet().stream().anyMatch(DashboardStream::owner);
      readers = open.keySet().stream().anyMatch(s -> !s.owner());
      scrape = !scraping;
      scraping = true;
    }
    if (owners) {
      sendStacks(true);
    }
    if (readers) {
      sendStacks(false);
    }
    if (scrape) {
      try {
        scrapes.execute(this::scrapeEdges);
      } catch (RejectedExecutionException stopping) {
        synchronized (this) {
          scraping = false;
        }
      }
    }
  }

  /** On {@code scrapes}: reads {@code edges} and posts it to every stream. */
  private void scrapeEdges() {
    try {
      String edges = read(Kind.EDGES, feed::edges);
      if (edges != null) {
        synchronized (this) {
          if (!open.isEmpty()) {
            lastEdges = edges;
            open.keySet().forEach(s -> s.post(Kind.EDGES, edges));
          }
        }
      }
    } finally {
      synchronized (this) {
        scraping = false;
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
   * Ends every stream and waits for their threads, at most {@link Timing#closeBound} in all;
   * a stream still writing then (to a browser that stopped reading) is interrupted, which
   * closes its connection. Idempotent.
   */
  @Override
  public void close() {
    Map<DashboardStream, Thread> ending;
    synchronized (this) {
      closed = true;
      open.keySet().forEach(DashboardStream::end);
      ending = new LinkedHashMap<>(open);
      stopTicking();
    }
    long deadline = System.nanoTime() + timing.closeBound().toNanos();
    try {
      for (Thread t : ending.values()) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ending.forEach((stream, thread) -> {
      if (thread.isAlive()) {
        stream.interrupt();
      }
    });
  }
}
