package dev.berth.registry.internal;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.health.v1.HealthGrpc;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Lets a call through only from a loopback peer carrying the state dir's token in the
 * {@code berth-token} header. Thread-safe (immutable).
 *
 * <p>The health service and server reflection (v1 and v1alpha) need no token: probes and
 * supervisors check the registry without reading the state dir, and reflection only tells
 * what {@code registry.proto} already says in public. Every call of {@code berth.v1.Registry}
 * needs it.
 */
final class TokenAuth implements ServerInterceptor {

  static final Metadata.Key<String> TOKEN =
      Metadata.Key.of("berth-token", Metadata.ASCII_STRING_MARSHALLER);

  private static final Set<String> PUBLIC = Set.of(HealthGrpc.SERVICE_NAME,
      io.grpc.reflection.v1.ServerReflectionGrpc.SERVICE_NAME,
      io.grpc.reflection.v1alpha.ServerReflectionGrpc.SERVICE_NAME);

  private final byte[] token;
  private final Path tokenFile;

  TokenAuth(String token, Path tokenFile) {
    this.token = token.getBytes(StandardCharsets.US_ASCII);
    this.tokenFile = tokenFile;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
      Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    // the server binds 127.0.0.1 only; this guards against that ever changing by accident
    if (!(remote instanceof InetSocketAddress)
        || !((InetSocketAddress) remote).getAddress().isLoopbackAddress()) {
      return refuse(call, Status.PERMISSION_DENIED.withDescription(
          "peer: " + remote + " (expected: a loopback address)"));
    }
    if (PUBLIC.contains(call.getMethodDescriptor().getServiceName())) {
      return next.startCall(call, headers);
    }
    String presented = headers.get(TOKEN);
    if (presented == null) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription(
          "missing metadata berth-token (expected: the contents of " + tokenFile + ")"));
    }
    // constant time: the comparison must not tell a guesser how many leading bytes matched
    if (!MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.US_ASCII))) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription(
          "wrong berth-token (expected: the contents of " + tokenFile + ")"));
    }
    return next.startCall(call, headers);
  }

  private static <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call,
      Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
