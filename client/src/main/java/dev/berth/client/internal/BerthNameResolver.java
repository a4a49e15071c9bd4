package dev.berth.client.internal;

import dev.berth.client.Address;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves {@code berth:///service[/endpoint]} by watching its {@link Discovery} (the
 * registry's, unless a test gives another): every list is pushed to the channel as it
 * arrives. No live instance is an {@code UNAVAILABLE} result ("no live instance of
 * 'catalog'"), so calls fail fast, while wait-for-ready calls wait
 * for the next list. While the registry is away the channel keeps the last addresses.
 * An instance's TCP address is published; an instance only on a Unix socket ({@code unix_path})
 * is left out, and a name whose live instances are all on Unix sockets fails calls fast with
 * {@code UNAVAILABLE} saying so. In a channel that can dial Unix sockets ({@code dialUnix}, the
 * one {@code Berth.channel} builds), an instance that also serves on a Unix socket this user
 * owns in a directory of its own ({@link UnixSocketDir#dialable}) is one group of two addresses,
 * the socket first: the channel connects to the socket and falls back to the port when the
 * socket does not answer, per instance, while round-robin goes on across instances.
 * The service config selects {@link BerthLoadBalancerProvider berth_round_robin}, which takes an
 * empty list as "no instance" and drops its connections to the dead one.
 *
 * <p>Follows grpc-java's rules: {@link #start} and {@link #shutdown} are called from the
 * channel's SynchronizationContext and never block or throw; results are delivered through
 * that context. Every mutable field is confined to it: the discovery's listener, which runs
 * on the discovery's threads, only hands values it was given to the context.
 */
final class BerthNameResolver extends NameResolver {
  private static final Map<String, ?> SERVICE_CONFIG = Map.of("loadBalancingConfig",
      List.of(Map.of(BerthLoadBalancerProvider.POLICY, Map.of())));

  private final BerthTarget target;
  private final Discovery discovery;
  private final SynchronizationContext syncContext;
  private final ServiceConfigParser configParser;
  private final Runnable onNewAddresses;
  private final boolean dialUnix;

  // confined to syncContext
  private Listener2 listener;
  private Discovery.Watch watch;
  private ConfigOrError serviceConfig;
  private Set<SocketAddress> published = Set.of();
  private boolean shutdown;

  BerthNameResolver(BerthTarget target, Discovery discovery, Args args, Runnable onNewAddresses) {
    this(target, discovery, args, onNewAddresses, false);
  }

  BerthNameResolver(BerthTarget target, Discovery discovery, Args args, Runnable onNewAddresses,
      boolean dialUnix) {
    this.dialUnix = dialUnix;
    this.target = target;
    this.discovery = discovery;
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
      watch = discovery.watch(target, new Updates());
    } catch (RuntimeException e) {
      publishError(Status.INTERNAL.withDescription("cannot watch " + target).withCause(e));
    }
  }

  @Override
  public void refresh() {
    // nothing to do: the discovery pushes every change as it happens
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
  }

  /** {@code found}: each instance with the Unix socket to try first, or null for its port only. */
  private void publish(List<Discovery.Found> found) {
    if (shutdown) {
      return;
    }
    List<EquivalentAddressGroup> groups = new ArrayList<>(found.size());
    Set<SocketAddress> addresses = new HashSet<>();
    List<Address> unix = new ArrayList<>();
    for (Discovery.Found f : found) {
      Address a = f.address();
      if (a.isUnix()) {
        // a unix_path endpoint has no port to fall back to, and a channel built elsewhere has a
        // transport that cannot dial it (grpc's NIO one throws java.lang.Error): TCP only
        unix.add(a);
        continue;
      }
      SocketAddress address = a.inetSocketAddress();
      addresses.add(address);
      if (f.alsoUnix() != null) {
        SocketAddress socket = new DomainSocketAddress(f.alsoUnix().path().toString());
        addresses.add(socket);
        groups.add(new EquivalentAddressGroup(List.of(socket, address)));
      } else {
        groups.add(new EquivalentAddressGroup(address));
      }
    }
    if (groups.isEmpty()) {
      // an empty list, not an error: the policy then drops its connections to the dead
      // instance and fails calls with this description (see BerthLoadBalancerProvider)
      published = Set.of();
      String why = unix.isEmpty()
          ? "no live instance of '" + Names.display(target.service(), target.endpoint()) + "'"
          : target + ": its live instances listen on Unix sockets only ("
              + unix.stream().map(Address::toString).collect(Collectors.joining(", "))
              + "); berth: channels dial TCP for now";
      listener.onResult2(ResolutionResult.newBuilder()
          .setAddressesOrError(StatusOr.fromValue(List.of()))
          .setAttributes(Attributes.newBuilder()
              .set(BerthLoadBalancerProvider.NO_INSTANCE, why)
              .build())
          .setServiceConfig(serviceConfig)
          .build());
      return;
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

  /** Hops from the discovery's thread onto the SynchronizationContext; reads no mutable field. */
  private final class Updates implements Discovery.Listener {
    @Override
    public void onAddresses(List<Address> addresses) {
      List<Discovery.Found> portsOnly = new ArrayList<>(addresses.size());
      addresses.forEach(a -> portsOnly.add(new Discovery.Found(a, null)));
      syncContext.execute(() -> publish(portsOnly));
    }

    @Override
    public void onFound(List<Discovery.Found> found) {
      if (!dialUnix) {
        onAddresses(Discovery.Found.addresses(found));
        return;
      }
      // the file checks here, on the discovery's thread, not on the SynchronizationContext
      List<Discovery.Found> dial = new ArrayList<>(found.size());
      for (Discovery.Found f : found) {
        boolean socket = f.alsoUnix() != null && UnixSocketDir.dialable(f.alsoUnix().path());
        dial.add(socket ? f : new Discovery.Found(f.address(), null));
      }
      syncContext.execute(() -> publish(dial));
    }

    @Override
    public void onError(Status status) {
      // the discovery's status names where it looked ("no Berth registry at ...")
      syncContext.execute(() -> publishError(Status.UNAVAILABLE
          .withDescription("cannot resolve " + target + ": " + status.getDescription())
          .withCause(status.getCause() != null ? status.getCause() : status.asRuntimeException())));
    }
  }
}
