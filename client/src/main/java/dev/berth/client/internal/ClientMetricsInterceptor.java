package dev.berth.client.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * Times every call a client makes to {@code service}: {@code berth.client.call.duration},
 * from {@code start} to {@code onClose}, tagged caller, service (the callee), method and status.
 *
 * <p>Thread-safe.
 */
public final class ClientMetricsInterceptor implements ClientInterceptor {
  private final CallTimers timers;

  /**
   * Records into {@code registry} with the tags {@code service} = the called service and
   * {@code caller} = what {@code caller} says at the time of the call (a bounded name).
   */
  public ClientMetricsInterceptor(MeterRegistry registry, String service, Supplier<String> caller) {
    this.timers = new CallTimers(registry, "berth.client.call.duration",
        "Duration of calls to a Berth service, as the caller sees it", service, caller);
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    String methodName = method.getFullMethodName();
    return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        long start = timers.now();
        super.start(new SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            timers.record(methodName, status.getCode(), start);
            super.onClose(status, trailers);
          }
        }, headers);
      }
    };
  }
}
