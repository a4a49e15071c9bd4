package dev.berth.client;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCalls;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * {@link WhoService}'s Name method answering {@code NAME over unix} or {@code NAME over tcp}:
 * what the server saw as the call's remote address ({@code Grpc.TRANSPORT_ATTR_REMOTE_ADDR}).
 */
final class PeerKind {
  private static final Context.Key<String> KIND = Context.key("berth.test.peer-kind");

  private PeerKind() {}

  /** The interceptor that tells the service the kind of its caller's address. */
  static ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(Context.current().withValue(KIND,
            kind(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR))), call, headers, next);
      }
    };
  }

  static ServerServiceDefinition service(String name) {
    return ServerServiceDefinition.builder(WhoService.SERVICE)
        .addMethod(WhoService.NAME, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(name + " over " + KIND.get());
          response.onCompleted();
        }))
        .build();
  }

  static String kind(SocketAddress remote) {
    if (remote instanceof DomainSocketAddress) {
      return "unix";
    }
    return remote instanceof InetSocketAddress ? "tcp" : String.valueOf(remote);
  }
}
