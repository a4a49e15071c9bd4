package dev.berth.client.internal;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverRegistry;
import io.grpc.internal.ManagedChannelImplBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Channels to {@code berth:} targets bound to one registry connection. Stateless. */
public final class Channels {
  private Channels() {}

  /**
   * A channel to {@code endpoint} of {@code service}: resolved through {@code connection}
   * (a per-channel {@link NameResolverRegistry}, so neither the global registry nor the
   * shared connection is involved), round-robin, calls timed into {@code meters} with the
   * {@code caller} tag from {@code caller}.
   */
  public static ManagedChannel create(
      RegistryConnection connection, String service, String endpoint, MeterRegistry meters,
      Supplier<String> caller) {
    return create(connection, service, endpoint, meters, caller, false);
  }

  /**
   * As above; with {@code unixSockets} (and where epoll loads), the channel dials the Unix
   * socket an instance of this user also serves on before its port ({@link UnixOrTcpTransports}).
   */
  public static ManagedChannel create(
      RegistryConnection connection, String service, String endpoint, MeterRegistry meters,
      Supplier<String> caller, boolean unixSockets) {
    return create(connection, new BerthTarget(service, endpoint), meters, caller, unixSockets);
  }

  /**
   * As above, for {@code name} in its namespace: the channel's resolver looks the target up
   * there (the target itself stays {@code berth:///service[/endpoint]}).
   */
  public static ManagedChannel create(
      RegistryConnection connection, BerthTarget name, MeterRegistry meters,
      Supplier<String> caller, boolean unixSockets) {
    String service = name.service();
    String endpoint = name.endpoint();
    boolean dialUnix = unixSockets && UnixEventLoops.available();
    AtomicReference<ManagedChannel> self = new AtomicReference<>();
    NameResolverRegistry resolvers = new NameResolverRegistry();
    // when an instance (re)appears, skip the channel's connect backoff: an instance
    // restarted on its old port is used at once, not after the next backoff step
    resolvers.register(new BerthNameResolverProvider(RegistryDiscovery.of(connection), () -> {
      ManagedChannel channel = self.get();
      if (channel != null) {
        channel.resetConnectBackoff();
      }
    }, dialUnix, name.namespace()));
    String target = BerthTarget.uri(service, endpoint);
    ManagedChannelBuilder<?> builder = dialUnix
        ? new ManagedChannelImplBuilder(target, InsecureChannelCredentials.create(), null,
            UnixOrTcpTransports::create, () -> 80, resolvers, null)
        : Grpc.newChannelBuilder(target, InsecureChannelCredentials.create(), resolvers);
    ManagedChannel channel = builder
        .defaultLoadBalancingPolicy(BerthLoadBalancerProvider.POLICY)
        .proxyDetector(address -> null) // loopback: never through a proxy
        .intercept(new ClientMetricsInterceptor(meters, service, caller))
        .build();
    self.set(channel);
    return channel;
  }
}
