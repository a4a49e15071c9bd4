package dev.berth.client;

import io.grpc.Status;

/**
 * A Berth operation failed; {@link #status()} says how, as a canonical gRPC {@link Status}.
 *
 * <p>Examples: {@code NOT_FOUND} "no live instance of 'catalog'" from {@link Berth#resolve},
 * {@code UNAVAILABLE} "no Berth registry in state dir ..." from {@link Berth#connect}.
 *
 * <p>Immutable, thread-safe.
 */
public final class BerthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Status status;

  /** An exception with {@code status}, whose description becomes the message. */
  public BerthException(Status status) {
    this(status, null);
  }

  /** An exception with {@code status} caused by {@code cause}. */
  public BerthException(Status status, Throwable cause) {
    super(message(status), cause != null ? cause : status.getCause());
    this.status = status;
  }

  /** The gRPC status: its code says what kind of failure, its description the details. */
  public Status status() {
    return status;
  }

  private static String message(Status status) {
    String description = status.getDescription();
    return description != null ? description : status.getCode().toString();
  }
}
