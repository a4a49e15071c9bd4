package dev.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.client.Address;
import dev.berth.client.Waits;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code berth:} resolver over a {@link FixedDiscovery}, with no registry: what the
 * channel does is decided by what the discovery gives, through the seam alone.
 */
class BerthNameResolverTest {
  private static final BerthTarget CATALOG = new BerthTarget("catalog", "main");

  private final FixedDiscovery discovery = new FixedDiscovery();
  private final AtomicInteger appeared = new AtomicInteger();
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(discovery.thrown).isEmpty();
  }

  @Test
  void channel_callsTheAddressDiscoveryGives_andFailsFastWhenItGivesNone() throws Exception {
    discovery.set(CATALOG, Address.loopback(startServer()));
    channel = channel(CATALOG);

    assertThat(check().getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

    discovery.set(CATALOG); // the instance went away
    await(() -> failure() != null, "calls fail once the list is empty");
    assertThat(failure().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failure().getDescription()).isEqualTo("no live instance of 'catalog'");
  }

  @Test
  void channel_whenEveryLiveInstanceIsOnAUnixSocket_failsFastNamingTheTargetAndWhy() throws Exception {
    BerthTarget web = new BerthTarget("web", "main");
    discovery.set(web, Address.unix(Path.of("/run/berth/web-1.sock")), Address.unix(Path.of("/run/berth/web-2.sock")));
    channel = channel(web);

    await(() -> failure() != null, "calls fail");
    assertThat(failure().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failure().getDescription()).isEqualTo("berth:///web: its live instances listen on Unix sockets"
        + " only (unix:/run/berth/web-1.sock, unix:/run/berth/web-2.sock); berth: channels dial TCP for now");
  }

  @Test
  void channel_whenInstancesAreOnTcpAndUnixSockets_callsTheTcpOne() throws Exception {
    discovery.set(CATALOG, Address.unix(Path.of("/run/berth/catalog.sock")), Address.loopback(startServer()));
    channel = channel(CATALOG);

    for (int i = 0; i < 4; i++) { // round-robin would reach the Unix socket in one call of two
      assertThat(check().getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
  }

  @Test
  void channel_whenDiscoveryCannotReachItsBackend_failsCallsNamingTheTargetAndWhy() throws Exception {
    discovery.fail(CATALOG, Status.UNAVAILABLE.withDescription("no Berth registry at 127.0.0.1:9 (state dir /x)"));
    channel = channel(CATALOG);

    await(() -> failure() != null, "calls fail");
    assertThat(failure().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failure().getDescription())
        .isEqualTo("cannot resolve berth:///catalog: no Berth registry at 127.0.0.1:9 (state dir /x)");
  }

  @Test
  void onNewAddresses_runsWhenAnAddressAppears_notWhenOneGoes() throws Exception {
    channel = channel(CATALOG);
    channel.getState(true); // leave idle: the resolver starts
    await(() -> discovery.watchers(CATALOG) == 1, "the resolver watches");

    discovery.set(CATALOG, Address.loopback(61001));
    discovery.set(CATALOG, Address.loopback(61001), Address.loopback(61002));
    discovery.set(CATALOG, Address.loopback(61002));
    discovery.set(CATALOG);
    discovery.set(CATALOG, Address.loopback(61001));

    // the SynchronizationContext runs them in order: at 3, every earlier list was handled
    await(() -> appeared.get() >= 3, "three appearances");
    assertThat(appeared).hasValue(3);
  }

  @Test
  void shutdown_closesTheWatch() throws Exception {
    channel = channel(CATALOG);
    assertThat(channel.getState(true)).isEqualTo(ConnectivityState.IDLE);
    await(() -> discovery.watchers(CATALOG) == 1, "the resolver watches");

    channel.shutdownNow();
    await(() -> discovery.watchers(CATALOG) == 0, "the watch closed with the channel");
  }

  private ManagedChannel channel(BerthTarget target) {
    NameResolverRegistry resolvers = new NameResolverRegistry();
    resolvers.register(new BerthNameResolverProvider(discovery, appeared::incrementAndGet));
    return Grpc.newChannelBuilder(target.toString(), InsecureChannelCredentials.create(), resolvers)
        .defaultLoadBalancingPolicy(BerthLoadBalancerProvider.POLICY)
        .proxyDetector(a -> null)
        .build();
  }

  private int startServer() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(new HealthStatusManager().getHealthService())
        .build().start();
    return server.getPort();
  }

  private HealthCheckResponse check() {
    return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance());
  }

  /** The status a fail-fast call ends with now, or null if it succeeds. */
  private Status failure() {
    try {
      HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return null;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  /** Bounded wait for what another thread does (a gRPC thread, a channel's context). */
  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Waits.until(Duration.ofSeconds(10), condition, what);
  }
}
