package dev.berth.client;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for conditions another thread or process makes true. */
public final class Waits {
  private Waits() {}

  public static void until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    until(timeout, condition, "condition");
  }

  public static void until(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " not met within " + timeout);
      }
      Thread.sleep(20);
    }
  }
}
