package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.TestPools;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Berth.builder().build()}: a registry that answers late is still a registry. */
class ConnectTest {

  @TempDir Path home;

  @Test
  void build_whenTheRegistryAnswersSlowly_waitsForIt() throws Exception {
    // as a registry does on a loaded machine, where a cold JVM's first call takes seconds
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    Server slow = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(new HealthGrpc.HealthImplBase() {
          @Override
          public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
            timer.schedule(() -> {
              response.onNext(HealthCheckResponse.newBuilder()
                  .setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
              response.onCompleted();
            }, 5, TimeUnit.SECONDS);
          }
        })
        .build().start();
    try (Berth berth = Berth.builder().registry("127.0.0.1:" + slow.getPort()).stateDir(home)
        .autoStart(false).build()) {
      assertThat(berth).isNotNull();
    } finally {
      slow.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      timer.shutdownNow();
    }
  }

  @Test
  void build_whenNothingListens_failsUnavailableNamingTheAddress() {
    int port = TestPools.port(); // ours, and nobody listens on it
    assertThatThrownBy(() -> Berth.builder().registry("127.0.0.1:" + port).stateDir(home)
        .autoStart(false).build())
        .isInstanceOf(BerthException.class)
        .satisfies(e -> assertThat(((BerthException) e).status().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessageContaining("127.0.0.1:" + port);
  }
}
