package dev.berth.cli.internal.stack;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.berth.local.UnixSocketPaths;
import dev.berth.local.internal.ControlClient;
import dev.berth.local.internal.ControlProtocol;
import dev.berth.local.internal.StackControl;
import dev.berth.proto.v1.StackState;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running stack's supervisor answers {@code berth ps}, {@code restart}, {@code stop} and
 * {@code down} on a Unix domain socket in its stack dir: one request line per connection, one
 * answer.
 *
 * <pre>{@code
 * try (ControlSocket server = ControlSocket.serve(stackDir.resolve("control.sock"), supervisor)) {
 *   ...
 * }
 * StackControl stack = ControlSocket.connect(socket);   // elsewhere: berth restart orders
 * stack.restart("orders");
 * }</pre>
 *
 * <p>The protocol ({@link ControlProtocol}, answered by {@link ControlAnswer}) is text, so that
 * {@code socat - UNIX:control.sock} can speak it. Only the user reaches the socket: it is 0600
 * in the stack dir, which is 0700; there is no token.
 *
 * <p>Thread-safe. The server accepts on a thread of its own and answers each connection on a
 * thread of a small pool, so a {@code status} is answered while a {@code restart} waits for
 * its process to stop; the {@link StackControl} is called on those threads.
 */
public final class ControlSocket implements AutoCloseable {

  /** How long a connection may take to send its request line. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final int HANDLERS = 4;

  private final Path path;
  private final ServerSocketChannel server;
  private final StackControl control;
  private final Duration requestTimeout;
  private final ExecutorService handlers;
  private final Thread acceptor;
  private volatile boolean closed;

  private ControlSocket(Path path, ServerSocketChannel server, StackControl control,
      Duration requestTimeout) {
    this.path = path;
    this.requestTimeout = requestTimeout;
    this.server = server;
    this.control = control;
    this.handlers = Executors.newFixedThreadPool(HANDLERS, named("berth-control-"));
    this.acceptor = named("berth-control-accept").newThread(this::accept);
  }

  /**
   * Answers for {@code control} on a socket at {@code socket} (mode 0600) until closed. A socket
   * file left by a supervisor that is gone is replaced; one that answers is not.
   *
   * @throws IllegalStateException another supervisor answers there
   * @throws IllegalArgumentException the path is too long for a Unix socket
   */
  public static ControlSocket serve(Path socket, StackControl control) throws IOException {
    return serve(socket, control, REQUEST_TIMEOUT);
  }

  static ControlSocket serve(Path socket, StackControl control, Duration requestTimeout)
      throws IOException {
    Path path = socket.toAbsolutePath();
    checkLength(path);
    if (Files.exists(path)) {
      if (answers(path)) {
        throw new IllegalStateException("control socket " + path + " answers: another supervisor"
            + " runs this stack ('berth ps' shows it; 'berth down' stops it)");
      }
      Files.deleteIfExists(path); // left by a supervisor that was killed
    }
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(path));
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    ControlSocket control0 = new ControlSocket(path, server, control, requestTimeout);
    control0.acceptor.start();
    return control0;
  }

  /**
   * The supervisor answering at {@code socket}, as a {@link StackControl}: each call is one
   * connection, waiting at most {@code timeout} for the answer. Calls throw {@link
   * IllegalArgumentException} with the supervisor's message for an unknown service, and {@link
   * IllegalStateException} when no supervisor answers.
   */
  public static StackControl connect(Path socket, Duration timeout) {
    checkLength(socket.toAbsolutePath());
    return ControlClient.of(socket, timeout);
  }

  /** {@link #connect(Path, Duration)} with a minute, which a restart's grace period fits in. */
  public static StackControl connect(Path socket) {
    return connect(socket, Duration.ofMinutes(1));
  }

  public Path path() {
    return path;
  }

  private void accept() {
    while (!closed) {
      SocketChannel connection;
      try {
        connection = server.accept();
      } catch (IOException e) {
        if (!closed) {
          System.err.println("berth: control socket " + path + ": " + e + "; no longer answering");
        }
        return;
      }
      try {
        handlers.execute(() -> ControlAnswer.answer(connection, control, requestTimeout));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        closeQuietly(connection); // closing
      }
    }
  }

  /** Stops answering and removes the socket file; a request being answered finishes. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // the acceptor wakes up either way
    }
    handlers.shutdown();
    try {
      if (!handlers.awaitTermination(5, TimeUnit.SECONDS)) {
        handlers.shutdownNow();
      }
      acceptor.join(1000);
    } catch (InterruptedException e) {
      handlers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // the next serve() replaces a file nobody answers on
    }
  }

  private static boolean answers(Path path) {
    try (SocketChannel other = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** Fails naming the path and the fix when it is too long for a Unix socket (107 bytes). */
  public static void checkLength(Path path) {
    int bytes = path.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > UnixSocketPaths.MAX_BYTES) {
      throw new IllegalArgumentException("control socket " + path + ": " + bytes + " bytes (expected:"
          + " at most " + UnixSocketPaths.MAX_BYTES + "; a shorter --home or BERTH_HOME, or a shorter"
          + " name of the stack's directory, fixes it)");
    }
  }

  static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing to tell
    }
  }

  static String toJson(StackState state) {
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(state);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stack state: " + e.getMessage(), e);
    }
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
      t.setDaemon(true);
      return t;
    };
  }
}
