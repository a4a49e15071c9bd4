package dev.berth.client.internal;

import dev.berth.client.BerthException;
import dev.berth.proto.v1.AttachResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * One blocking step of a lease's handshake ({@code register}, {@code bind_failed} or
 * {@code ready}): the answer it waits for, completed by the stream's events and awaited, for
 * at most {@link #TIMEOUT} of real time, on the owner's thread. What goes wrong becomes a
 * {@link BerthException} naming the step, the service and, when nobody answers, the registry.
 * {@link #awaitWhile} is the other wait a step may make: for a lease being reserved again.
 *
 * <p>Thread-safe: the answer is a {@link CompletableFuture}.
 */
final class HandshakeStep {
  /** How long one step may wait for the registry. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final AttachResponse.KindCase expected;
  private final CompletableFuture<AttachResponse> answer = new CompletableFuture<>();

  HandshakeStep(String name, AttachResponse.KindCase expected) {
    this.name = name;
    this.expected = expected;
  }

  void complete(AttachResponse response) {
    answer.complete(response);
  }

  void fail(Status status) {
    answer.completeExceptionally(status.asRuntimeException());
  }

  /**
   * Waits for the answer. Throws {@link BerthException}: {@code DEADLINE_EXCEEDED} after
   * {@link #TIMEOUT}, {@code CANCELLED} when interrupted, the stream's status when it ended,
   * {@code INTERNAL} for an answer of another kind than expected.
   */
  void await(AttachStream.Registry registry, String service) {
    AttachResponse response;
    try {
      response = answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException(Status.CANCELLED.withDescription("interrupted during " + name), e);
    } catch (TimeoutException e) {
      throw new BerthException(Status.DEADLINE_EXCEEDED.withDescription(
          "the registry " + registry.describe() + " did not answer '" + name + "' within "
              + TIMEOUT.toSeconds() + "s"));
    } catch (ExecutionException e) {
      throw error(Status.fromThrowable(e.getCause()), name, service, registry);
    }
    if (response.getKindCase() != expected) {
      throw new BerthException(Status.INTERNAL.withDescription(
          "the registry answered '" + name + "' with " + response.getKindCase() + " (expected: " + expected + ")"));
    }
  }

  /**
   * Waits, holding {@code lock}'s monitor, while {@code condition} holds (it is signalled with
   * {@code notifyAll}), for at most {@code max} of real time; then {@code UNAVAILABLE} through
   * {@code registry.unreachable}, naming {@code step}.
   */
  static void awaitWhile(Object lock, BooleanSupplier condition, Duration max, String step,
      AttachStream.Registry registry) {
    long deadline = System.nanoTime() + max.toNanos();
    while (condition.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw registry.unreachable(Status.UNAVAILABLE.withDescription(
            "no registry came back within " + max.toSeconds() + "s (" + doing(step) + ")").asRuntimeException());
      }
      try {
        lock.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BerthException(Status.CANCELLED.withDescription("interrupted during " + step), e);
      }
    }
  }

  /** {@code status}, which ended the lease during {@code step}, as the owner sees it. */
  static BerthException error(Status status, String step, String service, AttachStream.Registry registry) {
    if (status.getCode() == Status.Code.UNAVAILABLE) {
      return registry.unreachable(status.asRuntimeException());
    }
    // one line (augmentDescription would start a second), in the owner's words, not the protocol's
    String description = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
    return new BerthException(
        status.withDescription(description + " (" + service + ", " + doing(step) + ")"), status.getCause());
  }

  private static String doing(String step) {
    return switch (step) {
      case "register" -> "asking for its ports";
      case "bind_failed" -> "asking for another port";
      case "ready" -> "going live";
      default -> step;
    };
  }
}
