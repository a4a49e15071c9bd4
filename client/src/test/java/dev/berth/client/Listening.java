package dev.berth.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Listens on every port of a lease, on 127.0.0.1 in this JVM, as the program behind a lease
 * would before {@link Lease#ready}: the registry checks that someone of the registering
 * process's tree listens. Close to stop listening.
 */
final class Listening implements AutoCloseable {
  private final List<ServerSocket> sockets = new ArrayList<>();

  private Listening() {}

  static Listening on(Lease lease) {
    Listening l = new Listening();
    try {
      for (int port : lease.ports().values()) {
        ServerSocket s = new ServerSocket();
        l.sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      }
    } catch (IOException e) {
      l.close();
      throw new UncheckedIOException(e);
    }
    return l;
  }

  @Override
  public void close() {
    for (ServerSocket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
