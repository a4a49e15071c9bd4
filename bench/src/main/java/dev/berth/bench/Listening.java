package dev.berth.bench;

import dev.berth.client.Address;
import dev.berth.client.Lease;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Listens on every port of a lease on 127.0.0.1, as a service does before {@link Lease#ready}
 * (the registry checks that the lease's process listens). Close to stop. Not thread-safe.
 */
final class Listening implements AutoCloseable {
  private final List<ServerSocket> sockets = new ArrayList<>();

  private Listening() {}

  static Listening on(Lease lease) throws IOException {
    Listening l = new Listening();
    try {
      for (Address address : lease.addresses().values()) {
        ServerSocket s = new ServerSocket();
        l.sockets.add(s);
        s.bind(address.inetSocketAddress());
      }
    } catch (IOException e) {
      l.close();
      throw e;
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
