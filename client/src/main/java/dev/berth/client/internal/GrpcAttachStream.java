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
 * An {@link AttachStream} over gRPC: one {@code Attach} call on the registry's channel.
 *
 * <p>Not thread-safe for sending: the lease sends while holding its lock. Events go to the
 * lease on gRPC's callback thread.
 */
final class GrpcAttachStream implements AttachStream, ClientResponseObserver<AttachRequest, AttachResponse> {
  private final Events events;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private ClientCallStreamObserver<AttachRequest> requests;

  private GrpcAttachStream(Events events) {
    this.events = events;
  }

  /** Opens a stream on {@code channel}; returns at once. */
  static GrpcAttachStream open(Channel channel, Events events) {
    GrpcAttachStream stream = new GrpcAttachStream(events);
    RegistryGrpc.newStub(channel).attach(stream);
    return stream;
  }

  @Override
  public void send(AttachRequest request) {
    if (!ended.isDone()) {
      requests.onNext(request);
    }
  }

  @Override
  public void halfCloseAndAwait(long millis) {
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

  @Override
  public void cancel(String why) {
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
