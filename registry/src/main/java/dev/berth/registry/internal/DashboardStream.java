package dev.berth.registry.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One open event stream of the dashboard ({@code GET /dashboard/events}) and the thread that
 * writes it. What is to be sent waits in a mailbox holding the newest event of each kind and
 * whether a ping is due: {@link #post} never blocks, so a browser that reads slowly (or a
 * connection that died without a word) holds up its own stream only, and costs one pending
 * event per kind, never a queue.
 *
 * <p>The stream's thread sends the headers, {@code retry: 1000}, then {@code state} and {@code
 * stacks} as they are now (read here, off the HTTP side's thread), then whatever is posted, in
 * the order state, stacks, edges, ping. A failed write ends it: the client went away.
 *
 * <p>A write to a client that stopped reading (a suspended laptop, or someone holding a slot)
 * blocks: the JDK's {@code HttpServer} writes to a blocking {@code SocketChannel} and has no write
 * timeout. {@link #endIfStuck} ends such a stream by interrupting its thread: the channel is an
 * {@code InterruptibleChannel}, so the blocked write fails at once ({@code
 * ClosedByInterruptException}) and the connection closes. A write counts as stuck when an event
 * has been waiting longer than the bound: the thread takes what is pending as soon as a write
 * returns, and the ticker posts {@code edges} every second, so a waiting event is a write that has
 * not returned. The time is read by whoever posts and by the ticker, never by the stream's thread.
 *
 * <p>Thread-safe: {@link #post}, {@link #ping}, {@link #end} and {@link #endIfStuck} from any
 * thread; the exchange is written by the stream's thread only.
 */
final class DashboardStream implements Runnable {

  private static final System.Logger LOG = System.getLogger(DashboardStream.class.getName());

  /** The event kinds a stream carries, in the order a batch of them is written. */
  enum Kind {
    STATE, STACKS, EDGES;

    final String event = name().toLowerCase(java.util.Locale.ROOT);
  }

  private final HttpExchange exchange;
  private final boolean owner;
  private final DashboardFeed feed;
  private final LongSupplier nanos;
  private final Consumer<DashboardStream> ended;
  private final String[] pending = new String[Kind.values().length]; // guarded by this
  private boolean pingDue; // guarded by this
  private long waitingSince; // guarded by this; when the oldest of what is pending was posted
  private boolean ending; // guarded by this
  private Thread writer; // guarded by this; the stream's thread, once it runs
  private String stacksWritten; // guarded by this; a repeat of it is not sent again

  /**
   * {@code ended} is called once, on the stream's thread, when it is over; {@code nanos} times
   * how long posted events wait.
   */
  DashboardStream(HttpExchange exchange, boolean owner, DashboardFeed feed, LongSupplier nanos,
      Consumer<DashboardStream> ended) {
    this.exchange = exchange;
    this.owner = owner;
    this.feed = feed;
    this.nanos = nanos;
    this.ended = ended;
  }

  /** Whether the request carried the owner cookie: its {@code stacks} have log tails. */
  boolean owner() {
    return owner;
  }

  /** Replaces the pending event of {@code kind} with {@code json}. Never blocks. */
  synchronized void post(Kind kind, String json) {
    startWaiting();
    pending[kind.ordinal()] = json;
    notifyAll();
  }

  /** Sends a {@code : ping} comment soon. Never blocks. */
  synchronized void ping() {
    startWaiting();
    pingDue = true;
    notifyAll();
  }

  private void startWaiting() { // under this
    if (!waiting()) {
      waitingSince = nanos.getAsLong();
    }
  }

  private boolean waiting() { // under this
    return pingDue || Arrays.stream(pending).anyMatch(p -> p != null);
  }

  /** Ends the stream after the write in progress, if any; what is pending is dropped. */
  synchronized void end() {
    ending = true;
    notifyAll();
  }

  /**
   * Ends the stream at once, its connection closed, when an event has waited more than {@code
   * bound} nanoseconds at {@code now}: its thread is stuck in a write. True when it did. Never
   * blocks.
   */
  synchronized boolean endIfStuck(long now, long bound) {
    if (ending || !waiting() || now - waitingSince <= bound) {
      return false;
    }
    ending = true;
    if (writer != null) {
      writer.interrupt(); // the blocked write fails and closes the channel
    }
    notifyAll();
    return true;
  }

  /** Ends the stream at once, as {@link #endIfStuck} does, whatever its thread is doing. */
  synchronized void interrupt() {
    ending = true;
    if (writer != null) {
      writer.interrupt();
    }
    notifyAll();
  }

  @Override
  public void run() {
    try {
      // read before this thread is the stream's writer: the stuck-write watchdog interrupts the
      // writer, and a slow read of the feed is not a stuck client
      String state = read(Kind.STATE);
      String stacks = read(Kind.STACKS);
      synchronized (this) {
        writer = Thread.currentThread();
        if (ending) {
          return; // ended (or closed) while it read: nothing sent yet
        }
      }
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0); // chunked: one chunk per flush
      OutputStream out = exchange.getResponseBody();
      write(out, "retry: 1000\n\n");
      StringBuilder first = new StringBuilder();
      if (state != null) {
        event(first, Kind.STATE, state);
      }
      if (stacks != null) {
        event(first, Kind.STACKS, stacks);
        synchronized (this) {
          stacksWritten = stacks;
        }
      }
      write(out, first.toString());
      while (true) {
        String batch = next();
        if (batch == null) {
          break;
        }
        write(out, batch);
      }
    } catch (IOException gone) { // the client went away, or endIfStuck closed the channel
      LOG.log(Level.DEBUG, "a dashboard stream ended: {0}", gone.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        ended.accept(this);
      } finally {
        exchange.close(); // the last chunk, or the connection if that cannot be written
      }
    }
  }

  /** The next batch of events to write, waiting for one; null once the stream ends. */
  private synchronized String next() throws InterruptedException {
    while (!ending && !waiting()) {
      wait();
    }
    if (ending) {
      return null;
    }
    StringBuilder batch = new StringBuilder();
    for (Kind kind : Kind.values()) {
      String json = pending[kind.ordinal()];
      pending[kind.ordinal()] = null;
      if (kind == Kind.STACKS && json != null && json.equals(stacksWritten)) {
        continue; // the ticker's first stacks after this stream read its own
      }
      if (json != null) {
        event(batch, kind, json);
        if (kind == Kind.STACKS) {
          stacksWritten = json;
        }
      }
    }
    if (pingDue) {
      batch.append(": ping\n\n");
      pingDue = false;
    }
    return batch.toString(); // may be empty: a repeated stacks only
  }

  private String read(Kind kind) {
    try {
      return kind == Kind.STATE ? feed.state() : feed.stacks(owner);
    } catch (RuntimeException e) {
      // the ticker sends it once the feed recovers; a stream without one event beats none
      LOG.log(Level.WARNING, "the dashboard's " + kind.event + " event failed", e);
      return null;
    }
  }

  /**
   * Appends {@code json} as one event; {@code state} gets {@code "owner"}, which depends on this
   * stream's request, first among its keys. A line break in {@code json} (the feeds write one
   * line) becomes a second {@code data:} line, which {@code EventSource} joins back with one.
   */
  private void event(StringBuilder out, Kind kind, String json) {
    String data = kind == Kind.STATE ? withOwner(json, owner) : json;
    out.append("event: ").append(kind.event).append('\n');
    for (String line : data.split("\r\n|\r|\n", -1)) {
      out.append("data: ").append(line).append('\n');
    }
    out.append('\n');
  }

  /** {@code {"owner": OWNER, ...}} from the feed's object {@code {...}}. */
  static String withOwner(String json, boolean owner) {
    String rest = json.strip();
    if (!rest.startsWith("{")) {
      return json; // not an object: a feed's bug, passed on as it is rather than ending the stream
    }
    rest = rest.substring(1).strip();
    return "{\"owner\": " + owner + (rest.startsWith("}") ? "" : ", ") + rest;
  }

  private static void write(OutputStream out, String text) throws IOException {
    if (!text.isEmpty()) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }
}
