package dev.berth.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry's dashboard as a browser sees it on the wire, HTTP/1.1 over one socket per
 * request, counted in bytes as they arrive (head and body): the page and the files it
 * references, the sign-in a {@code berth dashboard} URL does, and the event stream. Used on
 * one thread; each stream it opens is its own {@link AutoCloseable}.
 */
final class DashboardPage {

  private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"([^\"#?:]+)\"");
  private static final int TIMEOUT_MS = 10_000;

  private final InetSocketAddress http;

  DashboardPage(InetSocketAddress http) {
    this.http = http;
  }

  /** One finished response: its status, all its bytes on the wire, and its body as text. */
  record Response(int status, long wireBytes, String head, String body) {}

  /**
   * Bytes of {@code /dashboard/} and of every file its HTML references (scripts, styles, icon),
   * each fetched once as a first visit does; the names fetched go to {@code names}.
   */
  long firstLoadBytes(String cookie, Set<String> names) throws IOException {
    Response index = request("GET", "/dashboard/", cookie, "", null);
    check(index, "/dashboard/");
    long total = index.wireBytes();
    names.add("/dashboard/");
    Set<String> files = new LinkedHashSet<>();
    Matcher m = REFERENCE.matcher(index.body());
    while (m.find()) {
      String ref = m.group(1);
      files.add(ref.startsWith("/") ? ref : "/dashboard/" + ref);
    }
    for (String file : files) {
      Response r = request("GET", file, cookie, "", null);
      check(r, file);
      total += r.wireBytes();
      names.add(file);
    }
    return total;
  }

  /** Mints a code with {@code token} and posts it, as a browser does with the URL; the owner's cookie. */
  String signIn(String token) throws IOException {
    Response code = request("POST", "/v1/dashboard/codes", null, "", token);
    check(code, "/v1/dashboard/codes");
    String value = code.body().replaceAll("(?s).*\"code\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    Response login = request("POST", "/dashboard/login", null, "code=" + value, null);
    if (login.status() != 303) {
      throw new IOException("POST /dashboard/login: " + login.status() + " " + login.body().strip());
    }
    for (String line : login.head().split("\r\n")) {
      if (line.regionMatches(true, 0, "Set-Cookie:", 0, 11)) {
        return line.substring(11).strip().split(";", 2)[0];
      }
    }
    throw new IOException("POST /dashboard/login set no cookie");
  }

  /** Bytes of {@code /dashboard/events} in its first {@code millis} ms. */
  long streamBytes(String cookie, long millis) throws IOException {
    try (Stream s = openStream(cookie)) {
      long deadline = System.nanoTime() + millis * 1_000_000;
      byte[] buffer = new byte[8192];
      long total = 0;
      while (System.nanoTime() < deadline) {
        s.socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        try {
          int n = s.in.read(buffer);
          if (n < 0) {
            break;
          }
          total += n;
        } catch (SocketTimeoutException e) {
          break;
        }
      }
      return total;
    }
  }

  /** An open event stream, read and dropped on a thread of its own, as an open tab does. */
  Stream openStream(String cookie) throws IOException {
    Socket socket = connect();
    socket.getOutputStream().write(head("GET", "/dashboard/events", cookie, 0, null)
        .getBytes(StandardCharsets.US_ASCII));
    return new Stream(socket);
  }

  /** One open {@code /dashboard/events}. */
  static final class Stream implements AutoCloseable {
    final Socket socket;
    final InputStream in;

    Stream(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
    }

    /** Reads until closed, on a daemon thread; returns it. */
    Thread drain() {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try {
          socket.setSoTimeout(0);
          while (in.read(buffer) >= 0) {
            // a browser parses it; the registry's cost is the same
          }
        } catch (IOException e) {
          // closed
        }
      }, "bench-dashboard-stream");
      t.setDaemon(true);
      t.start();
      return t;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(http, TIMEOUT_MS);
    socket.setSoTimeout(TIMEOUT_MS);
    return socket;
  }

  private String head(String method, String path, String cookie, int length, String token) {
    return method + " " + path + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + http.getPort() + "\r\n"
        + "Accept-Encoding: identity\r\n"
        + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
        + (token == null ? "" : "berth-token: " + token + "\r\n")
        + (method.equals("POST") ? "Content-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: " + length + "\r\n" : "")
        + "Connection: close\r\n\r\n";
  }

  private Response request(String method, String path, String cookie, String form, String token)
      throws IOException {
    try (Socket socket = connect()) {
      byte[] body = form.getBytes(StandardCharsets.US_ASCII);
      socket.getOutputStream().write(head(method, path, cookie, body.length, token)
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      socket.getInputStream().transferTo(all); // Connection: close: the server ends it
      String text = all.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      if (!text.startsWith("HTTP/1.") || end < 0) {
        throw new IOException(method + " " + path + ": not an HTTP/1.x response");
      }
      return new Response(Integer.parseInt(text.substring(9, 12)), all.size(), text.substring(0, end),
          text.substring(end + 4));
    }
  }

  private static void check(Response r, String what) throws IOException {
    if (r.status() != 200) {
      throw new IOException(what + ": " + r.status() + " " + r.body().strip());
    }
  }
}
