package dev.berth.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Listens on every TCP port of a lease, on 127.0.0.1 in this JVM, as the program behind a lease
 * would before {@link Lease#ready}: the registry checks that someone of the registering
 * process's tree listens. Close to stop listening.
 */
final class Listening implements AutoCloseable {
  private final List<ServerSocket> sockets = new ArrayList<>();

  private Listening() {}

  static Listening on(Lease lease) {
    Listening l = new Listening();
    try {
      for (Address address : lease.addresses().values()) {
        if (address.isUnix()) {
          continue; // a Unix socket endpoint is bound by the test itself, at its path
        }
        ServerSocket s = new ServerSocket();
        l.sockets.add(s);
        s.bind(address.inetSocketAddress());
      }
    } catch (IOException e) {
      l.close();
      throw new UncheckedIOException(e);
    }
    return l;
  }

  /** Listens on one TCP {@code address}, as a {@link PortBinder} does. */
  static AutoCloseable onAddress(Address address) throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      s.bind(address.inetSocketAddress());
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return s::close;
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
