package dev.berth.registry.internal;

import dev.berth.local.internal.ControlProtocol;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stack supervisor's control socket as far as a client sees it: reads one request line per
 * connection with {@link ControlProtocol} (as {@code berth up} does), records it, and writes the
 * answer it was given, or none at all (a supervisor that hangs: the connection stays open until
 * {@link #close}). Accepts on one thread of its own; {@link #requests} is thread-safe.
 */
final class FakeSupervisorSocket implements AutoCloseable {

  /** The answer meaning "do not answer". */
  static final String SILENT = null;

  private final Path path;
  private final ServerSocketChannel server;
  private final String answer;
  private final Thread acceptor;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<SocketChannel> held = new CopyOnWriteArrayList<>();

  private FakeSupervisorSocket(Path path, ServerSocketChannel server, String answer) {
    this.path = path;
    this.server = server;
    this.answer = answer;
    this.acceptor = new Thread(this::accept, "fake-supervisor-accept");
    this.acceptor.setDaemon(true);
  }

  /** Answers every request at {@code socket} with {@code answer} (a line such as {@code ok}). */
  static FakeSupervisorSocket answering(Path socket, String answer) throws IOException {
    Files.createDirectories(socket.getParent());
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    FakeSupervisorSocket fake = new FakeSupervisorSocket(socket, server, answer);
    fake.acceptor.start();
    return fake;
  }

  Path path() {
    return path;
  }

  /** The request lines read so far, in order. */
  List<String> requests() {
    return requests;
  }

  private void accept() {
    while (server.isOpen()) {
      SocketChannel connection;
      try {
        connection = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        connection.configureBlocking(false);
        requests.add(ControlProtocol.readLine(connection, Duration.ofSeconds(5), ControlProtocol.MAX_REQUEST));
        if (answer == SILENT) {
          held.add(connection);
        } else {
          ControlProtocol.writeLine(connection, answer, Duration.ofSeconds(5));
          connection.close();
        }
      } catch (IOException e) {
        requests.add("<no request: " + e.getMessage() + ">"); // the client went away first
      }
    }
  }

  @Override
  public void close() throws Exception {
    server.close();
    for (SocketChannel c : held) {
      c.close();
    }
    acceptor.join(TimeUnit.SECONDS.toMillis(5));
    Files.deleteIfExists(path);
  }
}
