package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeClockTest {
  private final FakeClock clock = new FakeClock();
  private final List<String> ran = new ArrayList<>();

  @Test
  void forwardTime_runsDueTasksInTimeOrder_andTheTickerReadsTheirMoment() {
    long start = clock.ticker().getAsLong();
    clock.scheduler().schedule(() -> ran.add("b@" + (clock.ticker().getAsLong() - start)), 200, TimeUnit.NANOSECONDS);
    clock.scheduler().schedule(() -> ran.add("a@" + (clock.ticker().getAsLong() - start)), 100, TimeUnit.NANOSECONDS);
    clock.scheduler().schedule(() -> ran.add("c"), 1, TimeUnit.SECONDS);

    assertThat(clock.forwardTime(250, TimeUnit.NANOSECONDS)).isEqualTo(2);

    assertThat(ran).containsExactly("a@100", "b@200");
    assertThat(clock.ticker().getAsLong() - start).isEqualTo(250);
    assertThat(clock.pendingTasks()).isEqualTo(1);
  }

  @Test
  void tasksScheduledByTasks_runWhenDueWithinTheSameForward() {
    clock.scheduler().schedule(() -> {
      ran.add("first");
      clock.scheduler().schedule(() -> ran.add("second"), 50, TimeUnit.MILLISECONDS);
    }, 50, TimeUnit.MILLISECONDS);

    clock.forwardMillis(99);
    assertThat(ran).containsExactly("first");
    clock.forwardMillis(1);
    assertThat(ran).containsExactly("first", "second");
  }

  @Test
  void execute_runsAtTheNextRunDueTasks_notInline() {
    clock.scheduler().execute(() -> ran.add("x"));
    assertThat(ran).isEmpty();
    assertThat(clock.runDueTasks()).isEqualTo(1);
    assertThat(ran).containsExactly("x");
  }

  @Test
  void cancel_removesTheTask_andPeriodicTasksRearm() {
    ScheduledFuture<?> cancelled = clock.scheduler().schedule(() -> ran.add("never"), 10, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> tick = clock.scheduler().scheduleAtFixedRate(() -> ran.add("tick"), 10, 10, TimeUnit.MILLISECONDS);
    cancelled.cancel(false);

    clock.forwardMillis(35);
    assertThat(ran).containsExactly("tick", "tick", "tick");
    assertThat(clock.pendingDelaysMillis()).containsExactly(5L);
    tick.cancel(false);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void get_ofATaskThatHasNotRun_failsInsteadOfBlockingForever() {
    ScheduledFuture<?> later = clock.scheduler().schedule(() -> ran.add("later"), 1, TimeUnit.SECONDS);
    assertThatThrownBy(later::get).isInstanceOf(IllegalStateException.class);
    assertThat(later.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(1000);
  }
}
