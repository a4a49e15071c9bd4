package dev.berth.client.internal;

import dev.berth.proto.v1.Target;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves {@code berth:///service[/endpoint]} by watching the registry: every snapshot is
 * pushed to the channel as it arrives. No live instance is an {@code UNAVAILABLE} result
 * ("no live instance of 'catalog'"), so calls fail fast, while wait-for-ready calls wait
 * for the next snapshot. While the registry is away the channel keeps the last addresses.
 * The service config selects {@link BerthLoadBalancerProvider berth_round_robin}, which takes an
 * empty list as "no instance" and drops its connections to the dead one.
 *
 * <p>Follows grpc-java's rules: {@link #start} and {@link #shutdown} are called from the
 * channel's SynchronizationContext and never block or throw; results are delivered through
 * that context.
 */
final class BerthNameResolver extends NameResolver {
  private static final Map<String, ?> SERVICE_CONFIG = Map.of("loadBalancingConfig",
      List.of(Map.of(BerthLoadBalancerProvider.POLICY, Map.of())));

  private final BerthTarget target;
  private final ConnectionSource source;
  private final SynchronizationContext syncContext;
  private final ServiceConfigParser configParser;
  private final Runnable onNewAddresses;

  // confined to syncContext
  private Listener2 listener;
  private RegistryConnection connection;
  private WatchSubscription watch;
  private ConfigOrError serviceConfig;
  private Set<InetSocketAddress> published = Set.of();
  private boolean shutdown;

  BerthNameResolver(BerthTarget target, ConnectionSource source, Args args, Runnable onNewAddresses) {
    this.target = target;
    this.source = source;
    this.syncContext = args.getSynchronizationContext();
    this.configParser = args.getServiceConfigParser();
    this.onNewAddresses = onNewAddresses;
  }

  @Override
  public String getServiceAuthority() {
    return target.service();
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    try {
      serviceConfig = configParser.parseServiceConfig(SERVICE_CONFIG);
      connection = source.acquire();
      watch = WatchSubscription.start(connection, target.service(), target.endpoint(), new Updates());
    } catch (RuntimeException e) {
      publishError(Status.INTERNAL.withDescription("cannot watch " + target).withCause(e));
    }
  }

  @Override
  public void refresh() {
    // nothing to do: the registry pushes every change as it happens
  }

  @Override
  public void shutdown() {
    if (shutdown) {
      return;
    }
    shutdown = true;
    if (watch != null) {
      watch.close();
    }
    if (connection != null) {
      source.release(connection);
    }
  }

  private void publish(List<Target> targets) {
    if (shutdown) {
      return;
    }
    if (targets.isEmpty()) {
      // an empty list, not an error: the policy then drops its connections to the dead
      // instance and fails calls with this description (see BerthLoadBalancerProvider)
      published = Set.of();
      listener.onResult2(ResolutionResult.newBuilder()
          .setAddressesOrError(StatusOr.fromValue(List.of()))
          .setAttributes(Attributes.newBuilder()
              .set(BerthLoadBalancerProvider.NO_INSTANCE,
                  "no live instance of '" + Names.display(target.service(), target.endpoint()) + "'")
              .build())
          .setServiceConfig(serviceConfig)
          .build());
      return;
    }
    List<EquivalentAddressGroup> groups = new ArrayList<>(targets.size());
    Set<InetSocketAddress> addresses = new HashSet<>();
    for (Target t : targets) {
      InetSocketAddress address = new InetSocketAddress(t.getHost(), t.getPort());
      addresses.add(address);
      groups.add(new EquivalentAddressGroup(address));
    }
    boolean appeared = !published.containsAll(addresses);
    published = addresses;
    listener.onResult2(ResolutionResult.newBuilder()
        .setAddressesOrError(StatusOr.fromValue(groups))
        .setServiceConfig(serviceConfig)
        .build());
    if (appeared && onNewAddresses != null) {
      onNewAddresses.run();
    }
  }

  private void publishError(Status status) {
    if (shutdown) {
      return;
    }
    ResolutionResult.Builder result = ResolutionResult.newBuilder()
        .setAddressesOrError(StatusOr.fromStatus(status));
    if (serviceConfig != null) {
      result.setServiceConfig(serviceConfig);
    }
    listener.onResult2(result.build());
  }

  /** Hops from the watch's thread onto the SynchronizationContext. */
  private final class Updates implements WatchSubscription.Listener {
    @Override
    public void onTargets(List<Target> targets) {
      syncContext.execute(() -> publish(targets));
    }

    @Override
    public void onUnavailable(Status status) {
      String where = connection != null ? connection.describe() : "?";
      syncContext.execute(() -> publishError(Status.UNAVAILABLE
          .withDescription("cannot resolve " + target + ": no Berth registry " + where)
          .withCause(status.asRuntimeException())));
    }
  }
}
