package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.stack.ServiceSpec.RestartPolicy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * One instance's restart policy at work: whether an exit is restarted, after how long (the
 * backoff doubles up to its maximum, and is back to the first delay after a run that lasted
 * longer than the window), and when restarts are a crash loop (more than {@code maxRestarts}
 * within the window: the instance is left failed). Time from an injected ticker (nanoseconds).
 * Confined to the instance's own thread.
 */
final class RestartBackoff {

  /** What to do after an exit: restart after {@code delay}, give up, or a crash loop. */
  record Decision(Kind kind, Duration delay) {
    enum Kind { RESTART, NO_RESTART, CRASH_LOOP }
  }

  private final RestartPolicy policy;
  private final LongSupplier ticker;
  private final Deque<Long> restarts = new ArrayDeque<>();
  private Duration next;

  RestartBackoff(RestartPolicy policy, LongSupplier ticker) {
    this.policy = policy;
    this.ticker = ticker;
    this.next = policy.backoff();
  }

  /**
   * After a run that ended with {@code failed} (a non-zero exit, a signal, or a start that did
   * not come up) and lasted {@code ran}.
   */
  Decision after(boolean failed, Duration ran) {
    boolean wanted = switch (policy.mode()) {
      case NO -> false;
      case ON_FAILURE -> failed;
      case ALWAYS -> true;
    };
    if (!wanted) {
      return new Decision(Decision.Kind.NO_RESTART, Duration.ZERO);
    }
    long now = ticker.getAsLong();
    if (ran.compareTo(policy.window()) > 0) {
      next = policy.backoff(); // it ran fine for a while: this is a new failure, not the loop
    }
    long windowNanos = policy.window().toNanos();
    while (!restarts.isEmpty() && now - restarts.peekFirst() > windowNanos) {
      restarts.removeFirst();
    }
    if (restarts.size() >= policy.maxRestarts()) {
      return new Decision(Decision.Kind.CRASH_LOOP, Duration.ZERO);
    }
    restarts.addLast(now);
    Duration delay = next;
    next = next.multipliedBy(2);
    if (next.compareTo(policy.maxBackoff()) > 0) {
      next = policy.maxBackoff();
    }
    return new Decision(Decision.Kind.RESTART, delay);
  }

  /** A restart asked for by a person ({@code berth restart}): the loop starts over. */
  void reset() {
    restarts.clear();
    next = policy.backoff();
  }
}
