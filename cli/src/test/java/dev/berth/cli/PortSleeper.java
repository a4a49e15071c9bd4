package dev.berth.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A JVM that listens on 127.0.0.1 at {@code $PORT} and does nothing else for two minutes: a
 * {@code berth run --debug} child whose JDWP agent is the point, not its server.
 */
public final class PortSleeper {
  private PortSleeper() {}

  public static void main(String[] args) throws Exception {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(System.getenv("PORT"))));
      System.out.println("PortSleeper listening on " + s.getLocalPort());
      Thread.sleep(120_000);
    }
  }
}
