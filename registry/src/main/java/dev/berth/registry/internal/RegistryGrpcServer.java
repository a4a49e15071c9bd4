package dev.berth.registry.internal;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.util.MutableHandlerRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The registry's gRPC server on 127.0.0.1, set up so that whatever goes wrong with one call
 * (oversized metadata, a malformed message, a silent stream) ends that call only: a client
 * multiplexes all its leases and watches over one connection. Stateless; the server it builds
 * is thread-safe.
 *
 * <p>{@link #bind} serves what a first call needs, {@code berth.v1.Registry} and health; server
 * reflection, which a registry's clients never call but tools do, is added a moment later by
 * {@link #addReflection} from the registry's start thread, to the server's fallback registry
 * (looked up only for a method the server itself does not have, so no call on the registry's
 * own services pays for it).
 */
final class RegistryGrpcServer {

  private static final int MAX_MESSAGE_BYTES = 64 * 1024;
  /** The registry pings a connection that was quiet this long... */
  static final Duration KEEPALIVE = Duration.ofSeconds(10);
  /** ...and closes it, ending its leases, when the ack is this late: ~15 s for a frozen peer. */
  static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(5);
  /** The shortest interval between a client's pings that the registry accepts. */
  static final Duration PERMIT_KEEPALIVE = Duration.ofSeconds(1);

  private RegistryGrpcServer() {}

  /**
   * What every service of one server is wrapped in: the token check, then the per-call metadata
   * limit, then the guard that fails a malformed request's own call. Thread-safe.
   */
  record Guard(TokenAuth auth, MalformedMessageLog malformed, MetadataLimit metadataLimit) {
    static Guard of(TokenAuth auth) {
      return new Guard(auth, new MalformedMessageLog(System::nanoTime), new MetadataLimit());
    }

    ServerServiceDefinition wrap(ServerServiceDefinition service) {
      return MalformedMessages.guard(ServerInterceptors.intercept(
          ServerInterceptors.intercept(service, auth), metadataLimit), malformed);
    }

    ServerServiceDefinition wrap(BindableService service) {
      return wrap(service.bindService());
    }
  }

  /**
   * Binds {@code port} on loopback (0: any) and starts serving the registry and health; methods
   * it does not have are looked up in {@code late} (see {@link #addReflection}).
   */
  static Server bind(int port, RegistryService service, HealthStatusManager health,
      Guard guard, int maxInstances, MutableHandlerRegistry late) throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    NotHttp2Peers.install();
    return NettyServerBuilder.forAddress(address)
        // handlers run on the transport threads; RegistryService moves what may block to
        // `executor`. Saves two thread hand-offs per call (Resolve p50 -30 %, throughput +60 %)
        .directExecutor()
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        // the real limit is per call, in MetadataLimit: at the transport's limit Netty resets
        // the stream, and above 1.25 times it closes the connection with every lease on it
        .maxInboundMetadataSize(MetadataLimit.TRANSPORT_MAX_BYTES)
        // a client multiplexes all its leases and watches over one connection (the bench holds
        // 1,000 leases on one): room for every lease the registry takes, a watch for each, and
        // more. Streams that never register end after registerTimeout, so this only bounds a burst
        .maxConcurrentCallsPerConnection(maxCallsPerConnection(maxInstances))
        // Berth's client pings every 10 s; other gRPC clients are often set to ping every few
        // seconds, and a peer pinging more often than this loses its connection (GOAWAY
        // "too_many_pings") and with it its lease
        .permitKeepAliveTime(PERMIT_KEEPALIVE.toSeconds(), TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        // a peer that vanished without a reset (suspended laptop, pulled cable on a VM)
        // is noticed within ~15 s (10 s quiet, then 5 s without a ping ack), and its lease ends
        .keepAliveTime(KEEPALIVE.toSeconds(), TimeUnit.SECONDS)
        .keepAliveTimeout(KEEPALIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .addTransportFilter(guard.malformed())
        .addService(guard.wrap(service))
        .addService(guard.wrap(health.getHealthService()))
        .fallbackHandlerRegistry(late)
        .build()
        .start();
  }

  /**
   * Adds server reflection (v1, and v1alpha for older tools) to {@code late}, behind the same
   * guard as the rest: {@code grpcurl} answers UNIMPLEMENTED for it until this ran. Called once,
   * on the registry's start thread.
   */
  static void addReflection(MutableHandlerRegistry late, Guard guard) {
    late.addService(guard.wrap(ProtoReflectionServiceV1.newInstance()));
    late.addService(guard.wrap(reflectionV1Alpha()));
  }

  /** Stops taking calls, lets the running ones finish for {@code grace}, then cancels them. */
  static void stop(Server server, Duration grace) {
    server.shutdown();
    try {
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow().awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** The most concurrent calls on one connection (HTTP/2 MAX_CONCURRENT_STREAMS). */
  static int maxCallsPerConnection(int maxInstances) {
    return 2 * maxInstances + 1024;
  }

  /** Whether {@code e} says the port is taken (EADDRINUSE), however the transport reports it. */
  static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // with epoll, Netty reports EADDRINUSE as its own NativeIoException, not a BindException
      if (t instanceof BindException
          || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  /** {@code e}, or for a taken port an error naming who holds it. */
  static IOException bindError(int port, IOException e, PortHolders holders) {
    if (!isBindFailure(e)) {
      return e;
    }
    String holder = holders.find(port).map(PortHolders.Holder::describe).orElse("another process");
    return new IOException(String.format("cannot listen on %s:%d: the port is held by %s",
        LeaseTable.HOST, port, holder), e);
  }

  /** Reflection v1alpha: what grpcurl before 1.8.8 and other older tools still ask. */
  @SuppressWarnings("deprecation")
  private static BindableService reflectionV1Alpha() {
    return ProtoReflectionService.newInstance();
  }
}
