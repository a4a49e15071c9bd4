package dev.berth.registry.internal;

import com.sun.net.httpserver.HttpServer;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * The dashboard on the registry's HTTP side ({@code docs/dashboard.md}): the page, its event
 * stream, sign-in and actions under {@code /dashboard/}, and {@code POST /v1/dashboard/codes}
 * for {@code berth dashboard}. {@link DashboardSite} answers for one HTTP server; this class
 * outlives it, since the HTTP side may be started again on another port while the registry
 * starts ({@link MetricsBerth}), and listens to the feed's changes once.
 *
 * <p>Threads: nothing runs while no page is open. An open page has its stream's thread, the
 * ticker's and the edges scrape's, all daemon threads named {@code berth-dashboard-PORT-...};
 * see {@link DashboardStreams} for why. Thread-safe.
 */
final class DashboardHttp implements AutoCloseable {

  /**
   * What tests replace: time, the ticker's scheduler and the executor of edges scrapes (null: a
   * thread of its own each), timing, files.
   */
  record Options(LongSupplier ticker, ScheduledExecutorService scheduler, Executor scrapes,
      DashboardStreams.Timing timing, String files) {
    static final Options DEFAULT = new Options(System::nanoTime, null, null,
        DashboardStreams.Timing.DEFAULT, DashboardFiles.PAGE);
  }

  private final DashboardFeed feed;
  private final String token;
  private final Options options;
  private volatile DashboardSite site; // written under this; the last server's, null once closed
  private boolean listening; // guarded by this

  DashboardHttp(DashboardFeed feed, String token) {
    this(feed, token, Options.DEFAULT);
  }

  DashboardHttp(DashboardFeed feed, String token, Options options) {
    this.feed = feed;
    this.token = token;
    this.options = options;
  }

  /** Adds its contexts to {@code server}, bound and not yet started; ends those of a previous one. */
  void register(HttpServer server) {
    DashboardSite previous;
    DashboardSite added = new DashboardSite(feed, token, server.getAddress().getPort(), options);
    synchronized (this) {
      previous = site;
      site = added;
      if (!listening) {
        listening = true;
        feed.onChange(this::changed);
      }
    }
    if (previous != null) {
      previous.close();
    }
    server.createContext("/dashboard", added::handle);
    server.createContext("/v1/dashboard/codes", added::codes);
  }

  private void changed() { // on the thread that changed the lease table: no lock
    DashboardSite current = site;
    if (current != null) {
      current.stateChanged();
    }
  }

  /** How many event streams are open (for tests and the bench). */
  int openStreams() {
    DashboardSite current = site;
    return current == null ? 0 : current.openStreams();
  }

  /** Ends every open event stream, bounded ({@link DashboardStreams#close}). Idempotent. */
  @Override
  public void close() {
    DashboardSite closing;
    synchronized (this) {
      closing = site;
      site = null;
    }
    if (closing != null) {
      closing.close();
    }
  }
}
