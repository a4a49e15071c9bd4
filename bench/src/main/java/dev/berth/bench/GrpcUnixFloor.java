package dev.berth.bench;

import dev.berth.local.LatencySamples;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The floor under the by-name row: bare grpc-java (no Berth, no interceptors) unary
 * {@code Health/Check} over a Unix socket (epoll, one shared 2-thread group, as Berth's) against
 * loopback TCP with grpc's defaults, in alternating blocks like {@link CallFigures}. By name can
 * gain on by port at most about what this ratio shows.
 */
final class GrpcUnixFloor {
  private GrpcUnixFloor() {}

  static void run(Path scratch, Scale scale, ResultTable table) throws Exception {
    if (!Epoll.isAvailable()) {
      table.add(new Row("unary call floor, bare grpc-java: Unix socket vs loopback TCP",
          "-", "", "", "epoll not available here: " + Epoll.unavailabilityCause(), null, Map.of()));
      return;
    }
    Path sock = scratch.resolve("floor.sock");
    EventLoopGroup group = new EpollEventLoopGroup(2);
    HealthStatusManager health = new HealthStatusManager();
    Server tcp = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(health.getHealthService()).build().start();
    Server unix = NettyServerBuilder.forAddress(new DomainSocketAddress(sock.toString()))
        .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(group).workerEventLoopGroup(group)
        .withChildOption(ChannelOption.SO_KEEPALIVE, null) // none on a Unix socket: Netty would warn
        .addService(health.getHealthService()).build().start();
    ManagedChannel byTcp = NettyChannelBuilder.forAddress("127.0.0.1", tcp.getPort()).usePlaintext().build();
    ManagedChannel byUnix = NettyChannelBuilder.forAddress(new DomainSocketAddress(sock.toString()))
        .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group)
        .withOption(ChannelOption.SO_KEEPALIVE, null).usePlaintext().build();
    try {
      HealthGrpc.HealthBlockingStub u = HealthGrpc.newBlockingStub(byUnix);
      HealthGrpc.HealthBlockingStub t = HealthGrpc.newBlockingStub(byTcp);
      LatencySamples us = new LatencySamples(scale.calls());
      LatencySamples ts = new LatencySamples(scale.calls());
      CallFigures.measure(u, t, scale.callWarmup(), new LatencySamples(scale.callWarmup()),
          new LatencySamples(scale.callWarmup()));
      System.gc();
      CallFigures.measure(u, t, scale.calls(), us, ts);
      double p50 = us.p50() / ts.p50();
      table.add(new Row("unary call floor, bare grpc-java: Unix socket vs loopback TCP",
          Units.latency(us), "over TCP: " + Units.latency(ts),
          "p50 " + Units.ratio(p50) + ", p99 " + Units.ratio(us.p99() / ts.p99()), "", null,
          Map.of("p50_ns", us.p50(), "p99_ns", us.p99(), "baseline_p50_ns", ts.p50(),
              "baseline_p99_ns", ts.p99(), "count", (double) us.count())));
    } finally {
      byUnix.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      byTcp.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      unix.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      tcp.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      Files.deleteIfExists(sock);
    }
  }
}
