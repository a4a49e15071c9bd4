package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

  @Test
  void execute_onAPool_runsTasksInOrderAndNeverTwoAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      SerialExecutor serial = new SerialExecutor(pool);
      List<Integer> order = new CopyOnWriteArrayList<>();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      for (int i = 0; i < 2_000; i++) {
        int n = i;
        serial.execute(() -> {
          if (running.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
          }
          order.add(n);
          running.decrementAndGet();
        });
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(overlaps).hasValue(0);
      assertThat(order).hasSize(2_000).isSorted();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void execute_afterThePoolShutDown_runsTheTaskInTheCaller() {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    pool.shutdown();
    SerialExecutor serial = new SerialExecutor(pool);
    AtomicInteger ran = new AtomicInteger();

    serial.execute(ran::incrementAndGet);

    assertThat(ran).hasValue(1);
  }
}
