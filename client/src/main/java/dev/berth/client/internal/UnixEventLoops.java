package dev.berth.client.internal;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one epoll event-loop group behind every Unix socket of this process: the servers'
 * listening and accepted sockets and the {@code berth:} channels' connections. Like
 * grpc-java's own shared NIO groups it is made on first use and shut down when its last user
 * lets go, so a process with no Unix socket has no such thread. One thread per core at most,
 * daemon threads named {@code berth-unix-N}, started only as sockets are registered with them.
 *
 * <p>Thread-safe: the count and the group are guarded by the class.
 */
public final class UnixEventLoops {
  private static EventLoopGroup group; // guarded by UnixEventLoops.class
  private static int users; // guarded by UnixEventLoops.class

  private UnixEventLoops() {}

  /** True where grpc-netty-shaded's native epoll transport loads (Linux x86_64 and aarch64). */
  public static boolean available() {
    return Epoll.isAvailable();
  }

  /** The shared group; pair each call with one {@link #release}. */
  public static synchronized EventLoopGroup acquire() {
    if (group == null) {
      int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
      group = new EpollEventLoopGroup(threads, new DefaultThreadFactory("berth-unix", true));
    }
    users++;
    return group;
  }

  /** Lets go of the group; the last user's release shuts it down (without waiting). */
  public static synchronized void release() {
    if (users == 0) {
      throw new IllegalStateException("release() without acquire()");
    }
    if (--users == 0) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      group = null;
    }
  }
}
