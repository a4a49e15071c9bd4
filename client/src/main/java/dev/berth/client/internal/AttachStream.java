package dev.berth.client.internal;

import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import dev.berth.proto.v1.RegistryGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One attempt of the {@code Attach} stream of an {@link AttachSession}: a new one per
 * reconnect, so events from an attempt that was replaced can be told apart and ignored.
 *
 * <p>Not thread-safe for sending: the session sends while holding its lock. Events go to
 * the session on gRPC's callback thread.
 */
final class AttachStream implements ClientResponseObserver<AttachRequest, AttachResponse> {
  /** Where the stream's events go. */
  interface Events {
    void onResponse(AttachStream from, AttachResponse response);

    void onEnded(AttachStream from, Status status);
  }

  private final Events events;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private ClientCallStreamObserver<AttachRequest> requests;

  private AttachStream(Events events) {
    this.events = events;
  }

  /** Opens a stream on {@code channel}; returns at once. */
  static AttachStream open(Channel channel, Events events) {
    AttachStream stream = new AttachStream(events);
    RegistryGrpc.newStub(channel).attach(stream);
    return stream;
  }

  boolean isEnded() {
    return ended.isDone();
  }

  void send(AttachRequest request) {
    if (!ended.isDone()) {
      requests.onNext(request);
    }
  }

  /** Ends the stream cleanly and waits (bounded) for the registry to confirm, then cancels. */
  void halfCloseAndAwait(long millis) {
    if (!ended.isDone()) {
      requests.onCompleted();
      try {
        ended.get(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // the registry did not confirm: cancelling ends the lease just the same
      }
    }
    cancel("lease closed");
  }

  void cancel(String why) {
    requests.cancel(why, null);
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<AttachRequest> requests) {
    this.requests = requests;
  }

  @Override
  public void onNext(AttachResponse response) {
    events.onResponse(this, response);
  }

  @Override
  public void onError(Throwable t) {
    ended.complete(null);
    events.onEnded(this, Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    ended.complete(null);
    events.onEnded(this, Status.UNAVAILABLE.withDescription("the registry ended the lease"));
  }
}
