package dev.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class BackoffTest {
  static List<Long> delaysMillis(Backoff backoff, int n) {
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      delays.add(TimeUnit.NANOSECONDS.toMillis(backoff.nextDelayNanos()));
    }
    return delays;
  }

  @Test
  void forRegistry_withoutJitter_doubles50msTo250ms() {
    assertThat(delaysMillis(Backoff.forRegistry(() -> 0.5), 6)).containsExactly(50L, 100L, 200L, 250L, 250L, 250L);
  }

  @Test
  void forRegistry_jitter_isAtMost20PercentEitherWay() {
    assertThat(delaysMillis(Backoff.forRegistry(() -> 0.0), 4)).containsExactly(40L, 80L, 160L, 200L);
    DoubleSupplier almostOne = () -> Math.nextDown(1.0);
    assertThat(delaysMillis(Backoff.forRegistry(almostOne), 4)).containsExactly(60L, 120L, 240L, 300L);
  }

  @Test
  void reset_startsOverFromTheInitialDelay() {
    Backoff backoff = Backoff.forRegistry(() -> 0.5);
    delaysMillis(backoff, 3);

    backoff.reset();

    assertThat(delaysMillis(backoff, 1)).containsExactly(50L);
  }
}
