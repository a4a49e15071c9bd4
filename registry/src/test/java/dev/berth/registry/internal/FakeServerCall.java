package dev.berth.registry.internal;

import io.grpc.stub.ServerCallStreamObserver;

/** The server side of a call without a transport: always ready, never cancelled; flow control ignored. */
abstract class FakeServerCall<T> extends ServerCallStreamObserver<T> {

  volatile Runnable onCancel = () -> {};

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
}
