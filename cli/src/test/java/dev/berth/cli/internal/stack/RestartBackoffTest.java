package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.internal.stack.RestartBackoff.Decision;
import dev.berth.cli.internal.stack.ServiceSpec.RestartPolicy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The restart policy's arithmetic, on a hand-moved clock. */
class RestartBackoffTest {

  private final AtomicLong now = new AtomicLong();
  private static final Duration SHORT = Duration.ofMillis(100);

  private RestartBackoff backoff(RestartPolicy.Mode mode, int maxRestarts) {
    return new RestartBackoff(new RestartPolicy(mode, maxRestarts, Duration.ofSeconds(60),
        Duration.ofMillis(200), Duration.ofMillis(700)), now::get);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void onFailure_doublesUpToTheMaximum_thenACrashLoopAfterMaxRestartsInTheWindow() {
    RestartBackoff b = backoff(RestartPolicy.Mode.ON_FAILURE, 4);

    assertThat(b.after(true, SHORT)).isEqualTo(new Decision(Decision.Kind.RESTART, Duration.ofMillis(200)));
    assertThat(b.after(true, SHORT).delay()).isEqualTo(Duration.ofMillis(400));
    assertThat(b.after(true, SHORT).delay()).isEqualTo(Duration.ofMillis(700));
    assertThat(b.after(true, SHORT).delay()).isEqualTo(Duration.ofMillis(700));
    assertThat(b.after(true, SHORT).kind()).isEqualTo(Decision.Kind.CRASH_LOOP);
  }

  @Test
  void restartsOlderThanTheWindow_doNotCount_andALongRunResetsTheDelay() {
    RestartBackoff b = backoff(RestartPolicy.Mode.ON_FAILURE, 2);
    b.after(true, SHORT);
    b.after(true, SHORT);
    advance(Duration.ofSeconds(61));

    Decision d = b.after(true, Duration.ofSeconds(61));

    assertThat(d).isEqualTo(new Decision(Decision.Kind.RESTART, Duration.ofMillis(200)));
  }

  @Test
  void modes_noNeverRestarts_onFailureNotAfterACleanExit_alwaysAfterOne() {
    assertThat(backoff(RestartPolicy.Mode.NO, 5).after(true, SHORT).kind()).isEqualTo(Decision.Kind.NO_RESTART);
    assertThat(backoff(RestartPolicy.Mode.ON_FAILURE, 5).after(false, SHORT).kind())
        .isEqualTo(Decision.Kind.NO_RESTART);
    assertThat(backoff(RestartPolicy.Mode.ALWAYS, 5).after(false, SHORT).kind()).isEqualTo(Decision.Kind.RESTART);
  }

  @Test
  void reset_aRestartAskedForStartsTheCountOver() {
    RestartBackoff b = backoff(RestartPolicy.Mode.ON_FAILURE, 1);
    b.after(true, SHORT);
    assertThat(b.after(true, SHORT).kind()).isEqualTo(Decision.Kind.CRASH_LOOP);

    b.reset();

    assertThat(b.after(true, SHORT)).isEqualTo(new Decision(Decision.Kind.RESTART, Duration.ofMillis(200)));
  }
}
