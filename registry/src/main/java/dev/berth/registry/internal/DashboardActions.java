package dev.berth.registry.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the dashboard's stop and restart buttons ({@link DashboardFeed#act}) on a thread of their
 * own and answers each exchange from there: an action waits on a stack's supervisor, which may
 * take seconds, and the HTTP side's one request thread must not wait with it. One action at a
 * time, at most {@link #QUEUE} waiting (503 beyond: a person clicks, nothing else does); the
 * thread exists only while there is work. Thread-safe.
 */
final class DashboardActions implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(DashboardActions.class.getName());

  static final int QUEUE = 8;

  private final DashboardFeed feed;
  private final ThreadPoolExecutor executor;

  /** Names its thread {@code threadPrefix + "action"}. */
  DashboardActions(DashboardFeed feed, String threadPrefix) {
    this.feed = feed;
    this.executor = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, threadPrefix + "action");
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
  }

  /**
   * Runs {@code verb} on {@code namespace}/{@code service} later and answers {@code exchange}:
   * 204, or one line of {@code text/plain} (404 no such stack or service, 400 a bad name, 409
   * the supervisor refused). False, and the exchange untouched, when too many are waiting.
   */
  boolean submit(HttpExchange exchange, String verb, String namespace, String service) {
    try {
      executor.execute(() -> run(exchange, verb, namespace, service));
      return true;
    } catch (RejectedExecutionException busy) {
      return false;
    }
  }

  private void run(HttpExchange exchange, String verb, String namespace, String service) {
    try (exchange) {
      int status;
      String error;
      try {
        feed.act(verb, namespace, service);
        status = 204;
        error = null;
      } catch (NoSuchElementException e) {
        status = 404;
        error = line(e, "no such stack or service");
      } catch (IllegalArgumentException e) {
        status = 400;
        error = line(e, "bad request");
      } catch (IllegalStateException e) {
        status = 409;
        error = line(e, "the supervisor refused");
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "the dashboard's " + verb + " of " + service + " failed", e);
        status = 500;
        error = line(e, e.getClass().getName());
      }
      if (error == null) {
        exchange.sendResponseHeaders(204, -1);
      } else {
        RegistryHttp.send(exchange, status, error, DashboardSite.TEXT);
      }
    } catch (IOException gone) {
      LOG.log(Level.DEBUG, "the answer to a dashboard action was not delivered: {0}", gone.toString());
    }
  }

  /** The exception's message on one line, ending in a line break. */
  private static String line(RuntimeException e, String otherwise) {
    String message = e.getMessage() == null || e.getMessage().isBlank() ? otherwise : e.getMessage();
    return message.strip().replaceAll("\\s*\\R\\s*", " ") + "\n";
  }

  /**
   * Drops waiting actions (stopping the HTTP server next closes their connections) and lets
   * the running one finish for a second. Idempotent.
   */
  @Override
  public void close() {
    executor.getQueue().clear();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
