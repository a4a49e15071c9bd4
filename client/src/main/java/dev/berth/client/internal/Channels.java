package dev.berth.client.internal;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
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
    AtomicReference<ManagedChannel> self = new AtomicReference<>();
    NameResolverRegistry resolvers = new NameResolverRegistry();
    // when an instance (re)appears, skip the channel's connect backoff: an instance
    // restarted on its old port is used at once, not after the next backoff step
    resolvers.register(new BerthNameResolverProvider(RegistryDiscovery.of(connection), () -> {
      ManagedChannel channel = self.get();
      if (channel != null) {
        channel.resetConnectBackoff();
      }
    }));
    ManagedChannel channel = Grpc.newChannelBuilder(
            BerthTarget.uri(service, endpoint), InsecureChannelCredentials.create(), resolvers)
        .defaultLoadBalancingPolicy(BerthLoadBalancerProvider.POLICY)
        .proxyDetector(address -> null) // loopback: never through a proxy
        .intercept(new ClientMetricsInterceptor(meters, service, caller))
        .build();
    self.set(channel);
    return channel;
  }
}
