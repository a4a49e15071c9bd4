package dev.berth.registry.internal;

import dev.berth.proto.v1.AttachResponse;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The registry's side of an Attach call, without a transport: records what was sent. */
final class FakeAttachObserver extends FakeServerCall<AttachResponse> {

  final List<AttachResponse> sent = new CopyOnWriteArrayList<>();
  final List<Status> errors = new CopyOnWriteArrayList<>();
  volatile boolean completed;

  AttachResponse last() {
    return sent.get(sent.size() - 1);
  }

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
