package dev.berth.cli.internal;

import dev.berth.cli.internal.stack.Supervisor;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * {@code berth up}'s SIGINT, SIGTERM and SIGHUP: the first stops the stack in reverse dependency
 * order (on a thread of its own, not the JVM's signal thread), a second kills every process
 * tree at once. The children run in sessions of their own, so a terminal's Ctrl-C reaches only
 * the supervisor, and this is the one place it is handled. A shutdown hook kills what still
 * runs if the JVM exits any other way. Handlers run on the signal thread; the count is atomic.
 */
final class StackSignals {

  private static final String[] SIGNALS = {"INT", "TERM", "HUP"};

  private StackSignals() {}

  static void install(Supervisor supervisor) {
    AtomicInteger received = new AtomicInteger();
    for (String name : SIGNALS) {
      try {
        Signal.handle(new Signal(name), sig -> {
          if (received.incrementAndGet() == 1) {
            Thread stop = new Thread(supervisor::stopAll, "berth-up-stop-all");
            stop.start();
          } else {
            supervisor.killAll();
          }
        });
      } catch (IllegalArgumentException e) {
        // the JVM reserves it (-Xrs) or there is no such signal here
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(supervisor::killAll, "berth-up-kill-all"));
  }
}
