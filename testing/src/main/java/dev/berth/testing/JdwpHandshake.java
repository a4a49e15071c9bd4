package dev.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What a debugger does first when it attaches to a JVM's JDWP agent: it sends the 14 ASCII
 * bytes {@code JDWP-Handshake} and the agent echoes them back. A test that gets the echo has
 * proved a real agent listens there, without logging "handshake failed" on the agent's side.
 */
public final class JdwpHandshake {

  public static final String HANDSHAKE = "JDWP-Handshake";

  private JdwpHandshake() {}

  /**
   * Connects, sends the handshake and returns what came back (the handshake itself when a JDWP
   * agent listens); the connection is closed after, which detaches the debugger again.
   */
  public static String attach(String host, int port, Duration timeout) throws IOException {
    byte[] hello = HANDSHAKE.getBytes(StandardCharsets.US_ASCII);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(hello);
      out.flush();
      InputStream in = s.getInputStream();
      byte[] echo = in.readNBytes(hello.length);
      return new String(echo, StandardCharsets.US_ASCII);
    }
  }
}
