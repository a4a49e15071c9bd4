package dev.berth.cli.internal;

import dev.berth.local.internal.Latencies;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The load {@code berth demo} puts on gateway, through {@link GatewayHttp}: batches of timed
 * orders, a background of mixed calls while something is measured, and orders until one gets
 * through. Used from the demo's thread; {@link #during} adds one traffic thread of its own.
 */
record DemoTraffic(GatewayHttp gateway, DemoNarrator narrator) {

  /**
   * Places {@code n / 2} orders to warm up, then {@code n} timed ones, and notes their latency.
   *
   * @throws CliException one of the timed orders failed
   */
  void placeOrders(int n, String what) throws IOException, InterruptedException {
    for (int i = 0; i < n / 2; i++) {
      gateway.placeOrder(); // warm-up: the JIT has barely started
    }
    Latencies latencies = new Latencies();
    int ok = 0;
    for (int i = 0; i < n; i++) {
      GatewayHttp.Reply reply = gateway.placeOrder();
      latencies.add(reply.nanos());
      if (reply.status() == 200) {
        ok++;
      }
    }
    narrator.note("%d %s (after %d to warm up): %d OK; %s per call", n, what, n / 2, ok, latencies.summary());
    narrator.note("  (measured here: HTTP to gateway, which calls orders, which calls catalog, both gRPC by name)");
    if (ok != n) {
      throw CliException.failure((n - ok) + " of " + n + " orders failed");
    }
  }

  /**
   * Runs {@code measurement} while a daemon thread sends orders (and every fifth call a
   * product list), already under way when it starts; stops the thread, bounded, after.
   */
  <T> T during(Callable<T> measurement) throws Exception {
    return during(measurement, 0);
  }

  /**
   * As {@link #during}, about ten calls a second: enough for the dashboard's edges to show live
   * rates while a person looks, little enough to leave their machine alone.
   */
  <T> T gently(Callable<T> wait) throws Exception {
    return during(wait, 100);
  }

  private <T> T during(Callable<T> measurement, long pauseMillis) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    Thread traffic = new Thread(() -> {
      for (int i = 0; !stop.get(); i++) {
        try {
          if (i % 5 == 0) {
            gateway.get("/products");
          } else {
            gateway.placeOrder();
          }
          if (pauseMillis > 0) {
            Thread.sleep(pauseMillis);
          }
        } catch (Exception e) {
          return;
        }
      }
    }, "berth-demo-traffic");
    traffic.setDaemon(true);
    traffic.start();
    try {
      Thread.sleep(100); // the first calls are under way when the interval starts
      return measurement.call();
    } finally {
      stop.set(true);
      traffic.join(5000);
    }
  }

  /** Orders until one succeeds, for at most 10 s: gateway's watch on orders delivers the new address. */
  void awaitOrderThrough() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    GatewayHttp.Reply reply;
    do {
      reply = gateway.placeOrder();
      if (reply.status() == 200) {
        return;
      }
      Thread.sleep(10);
    } while (System.nanoTime() < deadline);
    throw CliException.failure("gateway still cannot reach orders 10 s after its restart: " + reply.body());
  }
}
