package dev.berth.cli;

import dev.berth.client.Berth;
import dev.berth.client.Lease;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A program that joins Berth itself: leases {@code $BERTH_SERVICE} (in {@code $BERTH_NAMESPACE},
 * through the library's default), binds the port it is given, goes live, and waits to be killed.
 */
public final class SelfService {
  private SelfService() {}

  public static void main(String[] args) throws Exception {
    Berth berth = Berth.connect();
    Lease lease = berth.lease(System.getenv("BERTH_SERVICE")).attach();
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), lease.port()));
      lease.ready();
      System.out.println("self pid " + ProcessHandle.current().pid() + " port " + lease.port());
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
