package dev.berth.client.internal;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Unix socket side of a {@code BerthServer}: the same services, served on a slot of
 * {@link UnixSocketDir} through the shared {@link UnixEventLoops} group. Started before the
 * lease's {@code register} names the path (the registry checks it at {@code ready}); stopped
 * with the TCP server, the socket file unlinked first so new callers go by TCP at once.
 *
 * <p>Thread-safe: {@link #stop} lets go of the slot and the group exactly once.
 */
public final class UnixSocketServer {
  private static final Logger logger = Logger.getLogger(UnixSocketServer.class.getName());

  private final Server server;
  private final UnixSocketDir.Slot slot;
  private boolean stopped; // guarded by this

  private UnixSocketServer(Server server, UnixSocketDir.Slot slot) {
    this.server = server;
    this.slot = slot;
  }

  /**
   * Listens on a slot for {@code service}/{@code endpoint} in {@code stateDir}; empty (TCP
   * only) where epoll does not load or no socket can be had. {@code build} adds the services
   * to the builder it is given and builds.
   */
  public static Optional<UnixSocketServer> start(Path stateDir, String service, String endpoint,
      Function<NettyServerBuilder, Server> build) {
    if (!UnixEventLoops.available()) {
      return Optional.empty();
    }
    Optional<UnixSocketDir.Slot> slot = UnixSocketDir.claim(stateDir, service, endpoint);
    if (slot.isEmpty()) {
      return Optional.empty();
    }
    EventLoopGroup group = UnixEventLoops.acquire();
    Server server = null;
    try {
      server = build.apply(NettyServerBuilder.forAddress(new DomainSocketAddress(slot.get().path().toString()))
          .channelType(EpollServerDomainSocketChannel.class)
          .withChildOption(ChannelOption.SO_KEEPALIVE, null) // see UnixOrTcpTransports
          .bossEventLoopGroup(group)
          .workerEventLoopGroup(group));
      server.start();
      return Optional.of(new UnixSocketServer(server, slot.get()));
    } catch (IOException | RuntimeException e) {
      if (server != null) {
        server.shutdownNow();
      }
      slot.get().close();
      UnixEventLoops.release();
      logger.log(Level.INFO, "berth: cannot listen on " + slot.get() + " (" + e + "); serving TCP only");
      return Optional.empty();
    }
  }

  /** The socket file. */
  public Path path() {
    return slot.path();
  }

  /** The gRPC server listening on it. */
  public Server server() {
    return server;
  }

  /** Unlinks the socket file and stops accepting; calls in flight go on. */
  public void shutdown() {
    slot.close();
    server.shutdown();
  }

  /** {@link #shutdown}, waits at most {@code grace} for calls in flight, then lets go. Idempotent. */
  public synchronized void stop(Duration grace) {
    if (stopped) {
      return;
    }
    stopped = true;
    shutdown();
    try {
      if (!server.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    } finally {
      UnixEventLoops.release();
    }
  }
}
