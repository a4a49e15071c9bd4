package dev.berth.client.internal;

import dev.berth.client.BerthException;
import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import io.grpc.Status;

/**
 * One attempt of a lease's {@code Attach} stream: a new one per re-attach, so events from an
 * attempt that was replaced can be told apart and ignored. {@link GrpcAttachStream} is the
 * real one; tests use a recording fake.
 *
 * <p>Not thread-safe for sending: the lease sends while holding its lock.
 */
interface AttachStream {
  /** Sends {@code request} unless the stream has ended. */
  void send(AttachRequest request);

  /** Ends the stream cleanly and waits (bounded) for the registry to confirm, then cancels. */
  void halfCloseAndAwait(long millis);

  /** Ends the stream at once; {@link Events#onEnded} follows with {@code CANCELLED}. */
  void cancel(String why);

  /** Where a stream's events go; on gRPC's callback thread for the real stream. */
  interface Events {
    void onResponse(AttachStream from, AttachResponse response);

    void onEnded(AttachStream from, Status status);
  }

  /**
   * What a lease needs from the registry it is attached to: streams, and what to do between
   * attempts. {@link #of} adapts a {@link RegistryConnection}; tests use a fake.
   */
  interface Registry {
    /** Opens a stream whose events go to {@code events}; returns at once. */
    AttachStream open(Events events);

    /**
     * Before a re-attach: reads {@code registry.json} and the token again (a restarted
     * registry may listen elsewhere) and ends gRPC's own connect backoff. Reads a small file;
     * called on the scheduler, never while holding a lease's lock.
     */
    void prepareReattach();

    /** The delay before the next re-attach, {@code backoff}'s or longer; see {@link RegistryConnection#retryDelayNanos}. */
    long retryDelayNanos(Backoff backoff);

    /** "at 127.0.0.1:62893 (state dir /x)", for messages. */
    String describe();

    /** The error for "nobody answers"; see {@link RegistryConnection#unreachable}. */
    BerthException unreachable(Throwable cause);

    /** The streams of leases on {@code connection}. */
    static Registry of(RegistryConnection connection) {
      return new Registry() {
        @Override
        public AttachStream open(Events events) {
          return GrpcAttachStream.open(connection.channel(), events);
        }

        @Override
        public void prepareReattach() {
          connection.rediscover();
          connection.resetConnectBackoff();
        }

        @Override
        public long retryDelayNanos(Backoff backoff) {
          return connection.retryDelayNanos(backoff);
        }

        @Override
        public String describe() {
          return connection.describe();
        }

        @Override
        public BerthException unreachable(Throwable cause) {
          return connection.unreachable(cause);
        }
      };
    }
  }
}
