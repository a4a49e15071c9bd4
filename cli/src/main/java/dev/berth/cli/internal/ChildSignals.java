package dev.berth.cli.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Forwards SIGINT, SIGTERM and SIGHUP from {@code berth run} to its child instead of exiting, so
 * that {@code berth run} exits with the child's code once the child is done. A second signal
 * escalates to SIGTERM, a third to SIGKILL. A shutdown hook stops the child if the JVM exits any
 * other way.
 *
 * <p>Signal handlers run on the JVM's signal thread; the state they share is atomic.
 */
final class ChildSignals implements AutoCloseable {

  private static final String[] SIGNALS = {"INT", "TERM", "HUP"};

  private final Process child;
  private final AtomicInteger received = new AtomicInteger();
  private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];
  private final Thread hook;

  private ChildSignals(Process child) {
    this.child = child;
    this.hook = new Thread(() -> stop(child, Duration.ofSeconds(5)), "berth-run-stop-child");
  }

  static ChildSignals forward(Process child) {
    ChildSignals signals = new ChildSignals(child);
    Runtime.getRuntime().addShutdownHook(signals.hook);
    for (int i = 0; i < SIGNALS.length; i++) {
      try {
        String name = SIGNALS[i];
        signals.previous[i] = Signal.handle(new Signal(name), sig -> signals.onSignal(name));
      } catch (IllegalArgumentException e) {
        // the signal does not exist here, or the JVM reserves it (-Xrs): nothing to forward
      }
    }
    return signals;
  }

  private void onSignal(String name) {
    int n = received.incrementAndGet();
    if (!child.isAlive()) {
      return;
    }
    if (n >= 3) {
      child.destroyForcibly();
    } else if (n == 2 || !name.equals("INT")) {
      child.destroy(); // SIGTERM
    } else if (System.console() == null) {
      // Ctrl-C in a terminal reaches the child directly (same process group); from `kill -INT`
      // it does not, so pass it on as SIGINT.
      kill("INT", child.pid());
    }
  }

  private static void kill(String signal, long pid) {
    try {
      new ProcessBuilder("sh", "-c", "kill -" + signal + " " + pid)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(2, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no sh: fall back to SIGTERM
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops {@code child}: SIGTERM, then SIGKILL after {@code grace}. Waits for it to end. */
  static void stop(Process child, Duration grace) {
    if (!child.isAlive()) {
      return;
    }
    child.destroy();
    try {
      if (!child.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        child.destroyForcibly();
        child.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      child.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < SIGNALS.length; i++) {
      if (previous[i] != null) {
        Signal.handle(new Signal(SIGNALS[i]), previous[i]);
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs, and stop() is harmless on a dead child
    }
  }
}
