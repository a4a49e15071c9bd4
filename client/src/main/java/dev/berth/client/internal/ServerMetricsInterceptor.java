package dev.berth.client.internal;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Times every call a server of {@code service} handles: {@code berth.server.call.duration},
 * from the call's arrival to its close (or cancellation), tagged service, method and status.
 *
 * <p>Thread-safe.
 */
public final class ServerMetricsInterceptor implements ServerInterceptor {
  private final CallTimers timers;

  /** Records into {@code registry} with the tag {@code service} = the serving service. */
  public ServerMetricsInterceptor(MeterRegistry registry, String service) {
    this.timers = new CallTimers(registry, "berth.server.call.duration",
        "Duration of calls a Berth service handled", service, null);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    long start = timers.now();
    String method = call.getMethodDescriptor().getFullMethodName();
    AtomicBoolean recorded = new AtomicBoolean();
    ServerCall<ReqT, RespT> timed = new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        if (recorded.compareAndSet(false, true)) {
          timers.record(method, status.getCode(), start);
        }
        super.close(status, trailers);
      }
    };
    return new SimpleForwardingServerCallListener<>(next.startCall(timed, headers)) {
      @Override
      public void onCancel() {
        if (recorded.compareAndSet(false, true)) {
          timers.record(method, Status.Code.CANCELLED, start);
        }
        super.onCancel();
      }
    };
  }
}
