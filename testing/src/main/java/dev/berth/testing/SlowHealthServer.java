package dev.berth.testing;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a registry on a loaded machine: it serves {@code grpc.health.v1.Health} on
 * 127.0.0.1 (port 0), answering each check only after {@code delay}. Close to stop it.
 */
public final class SlowHealthServer implements AutoCloseable {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final Server server;

  public SlowHealthServer(Duration delay) throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(new HealthGrpc.HealthImplBase() {
          @Override
          public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
            timer.schedule(() -> {
              response.onNext(HealthCheckResponse.newBuilder()
                  .setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
              response.onCompleted();
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
          }
        })
        .build().start();
  }

  /** {@code 127.0.0.1:PORT}. */
  public String address() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    timer.shutdownNow();
  }
}
