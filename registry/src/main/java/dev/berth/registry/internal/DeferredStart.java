package dev.berth.registry.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the registry starts right after its gRPC port answers and {@code registry.json} is
 * written, on the thread {@code berth-registry-start}: the HTTP side ({@code /metrics},
 * {@code /sd}, registered as {@code berth/metrics}) and server reflection. No call of a Berth
 * client needs either, and in a cold JVM the JDK's HTTP server and reflection's descriptors
 * took ~0.1-0.3 s on 2 cores (issue 11).
 *
 * <p>Threading: {@link #start} and {@link #close} from the thread that owns the registry;
 * {@link #await} and {@link #http} from any. The steps run on their own thread, under a lock
 * that {@link #close} takes too, so no step starts after {@code close}. A failed step is logged
 * and leaves the registry serving without it, as a taken HTTP port always has.
 */
final class DeferredStart implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(DeferredStart.class.getName());

  /** The steps, in order; each runs unless the registry closed meanwhile. */
  interface Steps {
    /** Serves {@code /metrics} and {@code /sd}; null when off. */
    RegistryHttp startHttp() throws IOException;

    /** Adds server reflection to the gRPC server. */
    void addReflection();

    /** Everything is up: {@code http} (null when off or failed) may go into registry.json. */
    void started(RegistryHttp http) throws IOException;
  }

  private final Steps steps;
  private final Object lock = new Object();
  private Thread thread; // guarded by lock
  private boolean closed; // guarded by lock
  private volatile RegistryHttp http;

  DeferredStart(Steps steps) {
    this.steps = steps;
  }

  /** Starts the thread; returns at once. */
  void start() {
    synchronized (lock) {
      if (thread != null || closed) {
        return;
      }
      thread = new Thread(this::run, "berth-registry-start");
      thread.setDaemon(true); // a registry left open must not keep its host JVM alive
      thread.start();
    }
  }

  /** Waits until every step ran (or failed, or the registry closed). */
  void await(Duration timeout) throws InterruptedException {
    Thread t;
    synchronized (lock) {
      t = thread;
    }
    if (t != null) {
      t.join(timeout.toMillis());
    }
  }

  /** The HTTP side, once started; null before, or when off or failed. */
  RegistryHttp http() {
    return http;
  }

  private void run() {
    try {
      // under the lock: close() waits for a step under way and no step starts after it
      synchronized (lock) {
        if (closed) {
          return;
        }
        RegistryHttp started = null;
        try {
          started = steps.startHttp();
        } catch (IOException | RuntimeException e) {
          LOG.log(Level.WARNING, "cannot serve /metrics and /sd: {0}", e.toString());
        }
        http = started;
        steps.addReflection();
        steps.started(started);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "cannot start all of the registry: {0}", e.toString());
    }
  }

  /** Waits for the thread, then stops the HTTP side if it started. Idempotent. */
  @Override
  public void close() {
    Thread t;
    synchronized (lock) {
      closed = true;
      t = thread;
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    RegistryHttp h = http;
    if (h != null) {
      h.close();
    }
  }
}
