package dev.berth.registry.internal;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Fails a call whose request metadata is larger than {@link #MAX_BYTES} with
 * RESOURCE_EXHAUSTED naming the limit, and only that call. Thread-safe (stateless).
 *
 * <p>Why not the transport's limit alone: grpc-java's {@code maxInboundMetadataSize} is
 * enforced by Netty's HPACK decoder, which resets the stream above the limit and closes the
 * whole connection (GOAWAY) above 1.25 times it. With the default 8 KiB, 10 KiB of metadata on
 * one call ended every lease and watch that shared its connection. So the transport is given
 * a far larger limit ({@link #TRANSPORT_MAX_BYTES}, still bounding memory), and the real one
 * is enforced here, per call, once the headers are decoded.
 */
final class MetadataLimit implements ServerInterceptor {

  /** The metadata one call may carry: grpc-java's own default, which clients expect. */
  static final int MAX_BYTES = 8 * 1024;
  /**
   * What the transport accepts before it resets the stream; above 1.25 times this (320 KiB)
   * Netty closes the connection. Bounds what one header block may cost in memory.
   */
  static final int TRANSPORT_MAX_BYTES = 256 * 1024;

  // RFC 7540 6.5.2: each header counts its name, its value and 32 bytes
  private static final int ENTRY_OVERHEAD = 32;

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
      Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    long size = size(headers);
    if (size > MAX_BYTES) {
      call.close(Status.RESOURCE_EXHAUSTED.withDescription(String.format(
          "metadata: %d bytes (expected: at most %d bytes of headers per call)", size, MAX_BYTES)),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  /** The size of {@code headers} as HTTP/2 counts it (binary values decoded). */
  static long size(Metadata headers) {
    long size = 0;
    for (String key : headers.keys()) {
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        for (byte[] v : headers.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
          size += key.length() + v.length + ENTRY_OVERHEAD;
        }
      } else {
        for (String v : headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
          size += key.length() + v.length() + ENTRY_OVERHEAD;
        }
      }
    }
    return size;
  }
}
