package dev.berth.client.internal;

import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.Snapshot;
import dev.berth.proto.v1.Target;
import dev.berth.proto.v1.WatchRequest;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A registry that serves only {@code Watch}, on 127.0.0.1 port 0, and lets the test decide
 * what each stream sends: {@link #nextWatch} hands over the next stream a client opens.
 */
final class FakeWatchRegistry implements AutoCloseable {
  private final BlockingQueue<StreamObserver<Snapshot>> watches = new LinkedBlockingQueue<>();
  private final Server server;

  FakeWatchRegistry() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(new RegistryGrpc.RegistryImplBase() {
          @Override
          public void watch(WatchRequest request, StreamObserver<Snapshot> response) {
            watches.add(response);
          }
        })
        .build().start();
  }

  /** {@code 127.0.0.1:PORT}. */
  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** The next Watch stream a client opened; fails after 10 s. */
  StreamObserver<Snapshot> nextWatch() throws InterruptedException {
    StreamObserver<Snapshot> watch = watches.poll(10, TimeUnit.SECONDS);
    if (watch == null) {
      throw new AssertionError("no Watch call within 10 s");
    }
    return watch;
  }

  /** A snapshot of instances listening on 127.0.0.1 at {@code ports}. */
  static Snapshot snapshot(long version, int... ports) {
    Snapshot.Builder snapshot = Snapshot.newBuilder().setVersion(version);
    for (int port : ports) {
      snapshot.addTargets(Target.newBuilder().setHost("127.0.0.1").setPort(port));
    }
    return snapshot.build();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
