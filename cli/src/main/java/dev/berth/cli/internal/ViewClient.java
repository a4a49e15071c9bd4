package dev.berth.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One {@code GET} of the registry's query view over one loopback socket, HTTP/1.1 written by
 * hand: {@code java.net.http} and {@code HttpURLConnection} cost a cold JVM more classes than
 * the whole fast path. For the CLI's fast path ({@link FastPath}); used on the calling thread.
 */
final class ViewClient {

  /** The query view's header for the token: the gRPC metadata key's name. */
  static final String TOKEN_HEADER = "berth-token";

  private static final int CONNECT_TIMEOUT_MS = 2_000;
  /** As the gRPC path's deadline (CliContext): the registry answers in a millisecond. */
  private static final int READ_TIMEOUT_MS = 5_000;
  private static final int MAX_RESPONSE_BYTES = 16 << 20;

  /** A status and the body as UTF-8 text. */
  record Response(int status, String body) {}

  private ViewClient() {}

  /** {@code GET pathAndQuery} at {@code address} with {@code token}; any failure is an IOException. */
  static Response get(InetSocketAddress address, String token, String pathAndQuery) throws IOException {
    return exchange("GET", address, token, pathAndQuery);
  }

  /** {@code POST pathAndQuery} with an empty body, as {@link #get} ({@code berth dashboard}'s code). */
  static Response post(InetSocketAddress address, String token, String pathAndQuery) throws IOException {
    return exchange("POST", address, token, pathAndQuery);
  }

  /** {@code 127.0.0.1:8080}, {@code [::1]:8080}: for a URL, a Host header or a message. */
  static String hostAndPort(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static Response exchange(String method, InetSocketAddress address, String token,
      String pathAndQuery) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(address, CONNECT_TIMEOUT_MS);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      socket.setTcpNoDelay(true);
      String request = method + " " + pathAndQuery + " HTTP/1.1\r\n"
          + "Host: " + hostAndPort(address) + "\r\n"
          + TOKEN_HEADER + ": " + token + "\r\n"
          + (method.equals("POST") ? "Content-Length: 0\r\n" : "")
          + "Connection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return read(socket.getInputStream());
    }
  }

  /** Head, then the body: Content-Length bytes if given, else up to the end of the stream. */
  static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    byte[] buffer = new byte[8192];
    int headEnd = -1;
    long length = -1;
    while (true) {
      int n = in.read(buffer);
      if (n > 0) {
        bytes.write(buffer, 0, n);
        if (bytes.size() > MAX_RESPONSE_BYTES) {
          throw new IOException("response over " + MAX_RESPONSE_BYTES + " bytes");
        }
      }
      byte[] all = bytes.toByteArray();
      if (headEnd < 0) {
        headEnd = indexOfBlankLine(all);
        if (headEnd >= 0) {
          length = contentLength(new String(all, 0, headEnd, StandardCharsets.ISO_8859_1));
        }
      }
      int bodyStart = headEnd + 4;
      if (headEnd >= 0 && length >= 0 && all.length - bodyStart >= length) {
        return response(all, headEnd, bodyStart, (int) length);
      }
      if (n < 0) {
        if (headEnd < 0 || length >= 0) {
          throw new IOException("the response ended early");
        }
        return response(all, headEnd, bodyStart, all.length - bodyStart);
      }
    }
  }

  private static Response response(byte[] all, int headEnd, int bodyStart, int length)
      throws IOException {
    String head = new String(all, 0, headEnd, StandardCharsets.ISO_8859_1);
    // "HTTP/1.1 200 OK"
    if (!head.startsWith("HTTP/1.") || head.length() < 12 || head.charAt(8) != ' ') {
      throw new IOException("not an HTTP/1.x response");
    }
    int status;
    try {
      status = Integer.parseInt(head.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP/1.x status line", e);
    }
    return new Response(status, new String(all, bodyStart, length, StandardCharsets.UTF_8));
  }

  private static int indexOfBlankLine(byte[] b) {
    for (int i = 0; i + 3 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Content-Length, or -1 when the head has none. */
  private static long contentLength(String head) throws IOException {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
        try {
          return Long.parseLong(line.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
          throw new IOException("bad Content-Length: " + line, e);
        }
      }
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("transfer-encoding")) {
        throw new IOException("chunked responses are not read here"); // the view never sends one
      }
    }
    return -1;
  }
}
