package dev.berth.registry.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Consecutive free ports for unit tests (the end-to-end tests have their own FreePorts). */
final class FreeRange {

  private FreeRange() {}

  static int find(int n) {
    PortProbe probe = new PortProbe();
    for (int attempt = 0; attempt < 200; attempt++) {
      int first = ThreadLocalRandom.current().nextInt(20000, 32000 - n);
      boolean free = true;
      for (int p = first; p < first + n && free; p++) {
        free = probe.isFree(p);
      }
      if (free) {
        return first;
      }
    }
    throw new IllegalStateException("no free range of " + n);
  }

  static ServerSocket squat(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }
}
