package dev.berth.bench;

import dev.berth.local.LatencySamples;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The floor every local call stands on: a 1-byte ping-pong over a plain TCP socket on
 * 127.0.0.1, echoed by a thread of this process. Nothing Berth does can be faster.
 */
final class LoopbackFloor {
  private LoopbackFloor() {}

  static LatencySamples measure(int warmup, int iterations) throws IOException, InterruptedException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
      Thread echo = new Thread(() -> echo(server), "bench-loopback-echo");
      echo.setDaemon(true);
      echo.start();
      try (Socket socket = new Socket()) {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(loopback, server.getLocalPort()), 5_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        for (int i = 0; i < warmup; i++) {
          pingPong(out, in);
        }
        LatencySamples samples = new LatencySamples(iterations);
        for (int i = 0; i < iterations; i++) {
          long start = System.nanoTime();
          pingPong(out, in);
          samples.add(System.nanoTime() - start);
        }
        return samples;
      } finally {
        echo.join(5_000);
      }
    }
  }

  private static void pingPong(OutputStream out, InputStream in) throws IOException {
    out.write(1);
    if (in.read() < 0) {
      throw new IOException("echo closed the loopback socket");
    }
  }

  private static void echo(ServerSocket server) {
    try (Socket socket = server.accept()) {
      socket.setTcpNoDelay(true);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        out.write(b);
      }
    } catch (IOException e) {
      // the client closed: the measurement is over
    }
  }
}
