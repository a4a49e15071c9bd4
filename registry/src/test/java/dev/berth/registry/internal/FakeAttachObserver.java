package dev.berth.registry.internal;

import dev.berth.proto.v1.AttachResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The registry's side of an Attach call, without a transport: records what was sent. */
final class FakeAttachObserver extends ServerCallStreamObserver<AttachResponse> {

  final List<AttachResponse> sent = new CopyOnWriteArrayList<>();
  final List<Status> errors = new CopyOnWriteArrayList<>();
  volatile boolean completed;
  volatile Runnable onCancel = () -> {};

  AttachResponse last() {
    return sent.get(sent.size() - 1);
  }

  @Override
  public boolean isReady() {
    return true;
  }

  @Override
  public void setOnReadyHandler(Runnable onReadyHandler) {}

  @Override
  public void setOnCancelHandler(Runnable onCancelHandler) {
    this.onCancel = onCancelHandler;
  }

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public void setCompression(String compression) {}

  @Override
  public void disableAutoInboundFlowControl() {}

  @Override
  public void request(int count) {}

  @Override
  public void setMessageCompression(boolean enable) {}

  @Override
  public void onNext(AttachResponse value) {
    sent.add(value);
  }

  @Override
  public void onError(Throwable t) {
    errors.add(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    completed = true;
  }
}
