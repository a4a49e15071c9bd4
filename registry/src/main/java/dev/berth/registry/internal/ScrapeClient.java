package dev.berth.registry.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@code java.net.http} client of the dashboard's scrapes ({@link DashboardEdges}), on an
 * executor of its own: one daemon thread named {@code berth-dashboard-scrape-N}, which runs what
 * the client hands its executor (completions, body reads) and the edges' idle check.
 *
 * <p>JDK 17's {@link HttpClient} has no {@code close()}. {@link #close} shuts this executor down,
 * so its thread ends at once (delayed tasks are dropped); the client's own selector thread
 * ({@code HttpClient-N-SelectorManager}, which the JDK names and starts with the client) ends by
 * itself within about 3 s of the client becoming unreachable, once nothing is pending: so whoever
 * closes this must also drop it. {@code DashboardEdgesTest} checks both.
 *
 * <p>Thread-safe.
 */
final class ScrapeClient implements AutoCloseable {

  private final ScheduledThreadPoolExecutor executor;
  private final HttpClient http;

  /** A client whose thread is {@code threadName}, connecting within {@code connectTimeout}. */
  ScrapeClient(String threadName, Duration connectTimeout) {
    executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close() ends the thread now
    executor.setRemoveOnCancelPolicy(true);
    http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .executor(executor)
        .build();
  }

  HttpClient http() {
    return http;
  }

  /** Runs {@code task} on this client's thread after {@code delay}; nothing once closed. */
  void schedule(Runnable task, Duration delay) {
    if (!executor.isShutdown()) {
      executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Ends this client's thread (a task running finishes first); what the client still hands
   * the executor runs on the JDK's common pool. Idempotent; does not wait.
   */
  @Override
  public void close() {
    executor.shutdown();
  }
}
