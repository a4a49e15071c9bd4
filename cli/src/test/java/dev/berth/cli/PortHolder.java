package dev.berth.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A JVM that listens on 127.0.0.1 at {@code args[0]}, else {@code $PORT} (accepting nothing), for
 * two minutes at most: the {@code main} endpoint of a service whose {@code debug} endpoint is this
 * JVM's JDWP agent (a {@code berth run --debug} child, or one a test leases itself).
 */
public final class PortHolder {
  private PortHolder() {}

  public static void main(String[] args) throws Exception {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args.length > 0 ? args[0] : System.getenv("PORT"))));
      System.out.println("listening on " + s.getLocalPort());
      System.out.flush();
      Thread.sleep(120_000);
    }
  }
}
