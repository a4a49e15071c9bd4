package dev.berth.client.internal;

import io.grpc.ChannelCredentials;
import io.grpc.ChannelLogger;
import io.grpc.internal.ClientTransportFactory;
import io.grpc.internal.ConnectionClientTransport;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One channel's transports for two kinds of address: Netty's epoll Unix socket transport for a
 * {@link DomainSocketAddress} (on the shared {@link UnixEventLoops} group) and grpc's default
 * Netty transport for an {@link InetSocketAddress}. A Netty channel builder has one channel
 * type, so a channel built by it can dial one kind only; with this factory one channel, one
 * resolver and one load balancer hold both, and an instance's address group can list its
 * socket first and its port second (grpc's pick-first within the group then falls back).
 *
 * <p>This uses grpc-java's internal {@code ClientTransportFactory} seam (as grpc's own
 * transports do); it is the only class of Berth that does. Thread-safe, as each delegate is.
 */
final class UnixOrTcpTransports implements ClientTransportFactory {
  private final ClientTransportFactory unix;
  private final ClientTransportFactory tcp;
  private final AtomicBoolean closed = new AtomicBoolean();

  private UnixOrTcpTransports(ClientTransportFactory unix, ClientTransportFactory tcp) {
    this.unix = unix;
    this.tcp = tcp;
  }

  /** Both factories, plaintext; the shared Unix group is held until {@link #close}. */
  static UnixOrTcpTransports create() {
    ClientTransportFactory tcp = InternalNettyChannelBuilder.buildTransportFactory(
        NettyChannelBuilder.forTarget("berth").usePlaintext());
    ClientTransportFactory unix;
    EventLoopGroup loops;
    try {
      loops = UnixEventLoops.acquire();
    } catch (RuntimeException | Error e) {
      tcp.close();
      throw e;
    }
    try {
      unix = InternalNettyChannelBuilder.buildTransportFactory(NettyChannelBuilder.forTarget("berth")
          .usePlaintext()
          .channelType(EpollDomainSocketChannel.class, DomainSocketAddress.class)
          // grpc sets it on every connection; a Unix socket has none, and Netty would log a
          // warning per connection (null unsets it)
          .withOption(ChannelOption.SO_KEEPALIVE, null)
          .eventLoopGroup(loops));
    } catch (RuntimeException | Error e) {
      UnixEventLoops.release();
      tcp.close();
      throw e;
    }
    return new UnixOrTcpTransports(unix, tcp);
  }

  @Override
  public ConnectionClientTransport newClientTransport(SocketAddress address, ClientTransportOptions options,
      ChannelLogger logger) {
    return (address instanceof DomainSocketAddress ? unix : tcp).newClientTransport(address, options, logger);
  }

  @Override
  public ScheduledExecutorService getScheduledExecutorService() {
    return tcp.getScheduledExecutorService();
  }

  @Override
  public SwapChannelCredentialsResult swapChannelCredentials(ChannelCredentials channelCreds) {
    return null; // berth: channels are plaintext over loopback and Unix sockets only
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getSupportedSocketAddressTypes() {
    return List.of(InetSocketAddress.class, DomainSocketAddress.class);
  }

  /** Called by the channel once it terminated: lets go of the shared group. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        unix.close();
        tcp.close();
      } finally {
        UnixEventLoops.release();
      }
    }
  }
}
