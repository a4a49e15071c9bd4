package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.BerthRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that listens on ::1 only is found, and called, where it really listens. */
class Ipv6LoopbackTest {
  @TempDir Path home;
  BerthRegistry registry;
  Berth berth;

  @BeforeEach
  void start() throws Exception {
    registry = TestRegistry.start(home);
    // the client's first connect probes for 3 s; in a cold JVM on a loaded machine that is not
    // always enough (issue 9, item 7), and this test is about addresses, not start-up time
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        berth = TestRegistry.connect(registry);
        return;
      } catch (BerthException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  @AfterEach
  void stop() {
    if (berth != null) {
      berth.close();
    }
    registry.close();
  }

  @Test
  void resolveAndBerthChannel_reachAServerListeningOnIpv6LoopbackOnly() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    Lease lease = berth.lease("six").attach();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(v6, lease.port()))
        .addService(new HealthStatusManager().getHealthService())
        .build()
        .start();
    try {
      lease.ready();

      Address resolved = berth.resolve("six");
      assertThat(resolved).isEqualTo(Address.tcp("::1", lease.port()));
      assertThat(resolved.toString()).isEqualTo("[::1]:" + lease.port());
      try (Socket s = new Socket()) {
        s.connect(resolved.inetSocketAddress(), 5_000); // 127.0.0.1 would be refused: nothing listens there
      }
      ManagedChannel channel = berth.channel("six");
      HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .withWaitForReady()
          .check(HealthCheckRequest.getDefaultInstance());
      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    } finally {
      lease.close();
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
