package dev.berth.client.internal;

import dev.berth.local.Namespace;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;

/**
 * The {@code berth} scheme: {@code berth:///catalog}, {@code berth:///gateway/http}, and
 * {@code berth:///catalog?namespace=shop-3fa2c1} for a namespace named explicitly.
 *
 * <p>Found by gRPC through {@code META-INF/services/io.grpc.NameResolverProvider}; such
 * channels share one registry connection found by the default discovery rule, and a target
 * without {@code ?namespace=} is looked up in the process's default namespace
 * ({@code -Dberth.namespace}, else {@code $BERTH_NAMESPACE}, else the default namespace), read
 * when the channel is built.
 * {@code Berth.channel(...)} instead gives each channel a provider bound to its own
 * connection, through a per-channel {@code NameResolverRegistry}. Priority 4: below the
 * default 5, so {@code berth} never becomes the default scheme for plain {@code host:port}.
 * A malformed target ({@code berth:///Orders}, {@code berth:///orders?namespace=Shop}, or a bad
 * {@code $BERTH_NAMESPACE} behind a target without the parameter) makes
 * {@code ManagedChannelBuilder.build()} throw {@link IllegalArgumentException} naming the value
 * and the rule.
 *
 * <p>Thread-safe; never blocks; throws only for a malformed {@code berth:} target.
 */
public final class BerthNameResolverProvider extends NameResolverProvider {
  private final Discovery discovery;
  private final Runnable onNewAddresses;
  private final boolean dialUnix;
  private final String defaultNamespace; // null: the process's, read per target

  /** For {@link java.util.ServiceLoader}: the process-wide shared connection. */
  public BerthNameResolverProvider() {
    this(new RegistryDiscovery(SharedConnection.INSTANCE), null, false, null);
  }

  /**
   * A provider whose resolvers watch {@code discovery}; {@code onNewAddresses} (may be null)
   * runs on the channel's SynchronizationContext whenever an address appears that was not there.
   */
  public BerthNameResolverProvider(Discovery discovery, Runnable onNewAddresses) {
    this(discovery, onNewAddresses, false);
  }

  /**
   * As above; with {@code dialUnix}, for a channel whose transport dials Netty's
   * {@link DomainSocketAddress} too, an instance's own Unix socket is put before its port.
   */
  public BerthNameResolverProvider(Discovery discovery, Runnable onNewAddresses, boolean dialUnix) {
    this(discovery, onNewAddresses, dialUnix, null);
  }

  /**
   * As above, for targets without {@code ?namespace=} in {@code defaultNamespace} ({@code ""} or
   * a DNS label; null: the process's default, {@link Namespace#fromEnvironment()}).
   */
  public BerthNameResolverProvider(Discovery discovery, Runnable onNewAddresses, boolean dialUnix,
      String defaultNamespace) {
    this.defaultNamespace = defaultNamespace;
    this.discovery = discovery;
    this.onNewAddresses = onNewAddresses;
    this.dialUnix = dialUnix;
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!BerthTarget.SCHEME.equals(targetUri.getScheme())) {
      return null;
    }
    String problem = BerthTarget.problem(targetUri);
    if (problem != null) {
      // grpc-java turns null into "cannot create a NameResolver for ..." with no reason, and a
      // resolver failing with INVALID_ARGUMENT reaches calls as INTERNAL ("inappropriate status
      // code from control plane"); like its dns provider, say why from build()
      throw new IllegalArgumentException(problem);
    }
    String namespace = defaultNamespace != null ? defaultNamespace : Namespace.fromEnvironment();
    return new BerthNameResolver(BerthTarget.parse(targetUri, namespace), discovery, args, onNewAddresses,
        dialUnix);
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
    return dialUnix ? List.of(InetSocketAddress.class, DomainSocketAddress.class)
        : List.of(InetSocketAddress.class);
  }
}
