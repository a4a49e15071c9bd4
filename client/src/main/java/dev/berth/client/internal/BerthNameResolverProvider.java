package dev.berth.client.internal;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;

/**
 * The {@code berth} scheme: {@code berth:///catalog}, {@code berth:///gateway/http}.
 *
 * <p>Found by gRPC through {@code META-INF/services/io.grpc.NameResolverProvider}; such
 * channels share one registry connection found by the default discovery rule.
 * {@code Berth.channel(...)} instead gives each channel a provider bound to its own
 * connection, through a per-channel {@code NameResolverRegistry}. Priority 4: below the
 * default 5, so {@code berth} never becomes the default scheme for plain {@code host:port}.
 *
 * <p>Thread-safe; never blocks, never throws.
 */
public final class BerthNameResolverProvider extends NameResolverProvider {
  private final ConnectionSource source;
  private final Runnable onNewAddresses;

  /** For {@link java.util.ServiceLoader}: the process-wide shared connection. */
  public BerthNameResolverProvider() {
    this(SharedConnection.INSTANCE, null);
  }

  /**
   * A provider whose resolvers use {@code source}; {@code onNewAddresses} (may be null) runs
   * on the channel's SynchronizationContext whenever an address appears that was not there.
   */
  public BerthNameResolverProvider(ConnectionSource source, Runnable onNewAddresses) {
    this.source = source;
    this.onNewAddresses = onNewAddresses;
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    BerthTarget target = BerthTarget.parse(targetUri);
    return target == null ? null : new BerthNameResolver(target, source, args, onNewAddresses);
  }

  @Override
  public String getDefaultScheme() {
    return BerthTarget.SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 4;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }
}
