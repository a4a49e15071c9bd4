package dev.berth.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A JVM that listens on 127.0.0.1:{@code args[0]} (accepting nothing) for two minutes at most:
 * the {@code main} endpoint of a service whose {@code debug} endpoint is this JVM's JDWP agent.
 */
public final class PortHolder {
  private PortHolder() {}

  public static void main(String[] args) throws Exception {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0])));
      System.out.println("listening on " + s.getLocalPort());
      System.out.flush();
      Thread.sleep(120_000);
    }
  }
}
