package dev.berth.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Finds ports that are free right now, for narrow pools in tests. */
final class FreePorts {

  // below Linux's ephemeral range (32768-60999), so outgoing connections do not wander in,
  // and above the ports people run servers on by hand
  private static final int LOW = 20000;
  private static final int HIGH = 32000;

  private FreePorts() {}

  /** The first port of {@code n} consecutive ports that are all free on 127.0.0.1 and ::1. */
  static int range(int n) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(LOW, HIGH - n);
      boolean allFree = true;
      for (int p = first; p < first + n && allFree; p++) {
        allFree = isFree(p);
      }
      if (allFree) {
        return first;
      }
    }
    throw new IllegalStateException("no " + n + " consecutive free ports in " + LOW + "-" + HIGH);
  }

  static boolean isFree(int port) {
    for (String host : new String[] {"127.0.0.1", "::1"}) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      } catch (IOException e) {
        if (host.equals("::1") && !(e instanceof java.net.BindException)) {
          continue; // no IPv6 loopback on this machine
        }
        return false;
      }
    }
    return true;
  }

  /** A listening socket on 127.0.0.1:{@code port}, as a foreign process would hold it. */
  static ServerSocket squat(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }
}
