package dev.berth.client.internal;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A call made while no {@code registry.json} names a registry: it dials nothing and fails
 * with {@code UNAVAILABLE}, as a call on a channel in transient failure would. The listener
 * hears on {@code executor} (the call's, so that blocking stubs work), never inside
 * {@link #start}. Thread-safe.
 */
final class NoRegistryCall<ReqT, RespT> extends ClientCall<ReqT, RespT> {

  private final Executor executor;
  private final Status status;
  private boolean started; // guarded by this
  private boolean closed; // guarded by this

  NoRegistryCall(Executor executor, Status status) {
    this.executor = executor;
    this.status = status;
  }

  @Override
  public void start(Listener<RespT> listener, Metadata headers) {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("call: already started (expected: start() once)");
      }
      started = true;
    }
    Runnable close = () -> {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      listener.onClose(status, new Metadata());
    };
    try {
      executor.execute(close);
    } catch (RejectedExecutionException e) {
      close.run(); // shutting down: no thread left to hand it to
    }
  }

  @Override
  public void request(int numMessages) {}

  @Override
  public void cancel(String message, Throwable cause) {}

  @Override
  public void halfClose() {}

  @Override
  public void sendMessage(ReqT message) {}
}
