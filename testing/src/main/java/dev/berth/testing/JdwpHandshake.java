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

  /**
   * A debugger that stays attached: connects, sends the handshake, checks the echo and returns
   * the open connection (the caller closes it to detach). While it is open a JDWP agent holds
   * only this connection on {@code port}: it closes its listening socket until the debugger
   * goes.
   *
   * @throws IOException no connect, or an echo that is not the handshake
   */
  public static Socket hold(String host, int port, Duration timeout) throws IOException {
    byte[] hello = HANDSHAKE.getBytes(StandardCharsets.US_ASCII);
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(hello);
      out.flush();
      String echo = new String(s.getInputStream().readNBytes(hello.length), StandardCharsets.US_ASCII);
      if (!echo.equals(HANDSHAKE)) {
        throw new IOException("echo: '" + echo + "' (expected: '" + HANDSHAKE + "')");
      }
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }
}
