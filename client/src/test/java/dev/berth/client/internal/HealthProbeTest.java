package dev.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.SlowHealthServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

  @Test
  void answers_aSlowRegistryWithinTheBound_isTrue_pastTheBound_isFalse() throws Exception {
    try (SlowHealthServer slow = new SlowHealthServer(Duration.ofMillis(300))) {
      assertThat(HealthProbe.answers(slow.address(), Duration.ofSeconds(30))).isTrue();
    }
    try (SlowHealthServer slower = new SlowHealthServer(Duration.ofSeconds(30))) {
      assertThat(HealthProbe.answers(slower.address(), Duration.ofMillis(200))).isFalse();
    }
  }

  @Test
  void answers_aGrpcServerWithoutHealth_isTrue() throws Exception {
    // UNIMPLEMENTED is an answer: something speaking gRPC runs there
    Server bare = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .build().start();
    try {
      assertThat(HealthProbe.answers("127.0.0.1:" + bare.getPort(), Duration.ofSeconds(30))).isTrue();
    } finally {
      bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void answers_whereNothingListensOrNoAddress_isFalse() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    assertThat(HealthProbe.answers("127.0.0.1:" + port, Duration.ofSeconds(30))).isFalse();
    assertThat(HealthProbe.answers("no-port", Duration.ofSeconds(1))).isFalse();
  }
}
