package dev.berth.registry.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 client over a plain socket to 127.0.0.1, for what {@code java.net.http} will not
 * do: send any {@code Host} header or none, and follow an event stream while closing its socket
 * at will. Reads fixed-length and chunked bodies. Not thread-safe (one per request).
 */
final class RawHttp {

  private final int port;
  private final String method;
  private final String path;
  private String host;
  private final List<String> headers = new ArrayList<>();
  private String body;

  private RawHttp(int port, String method, String path) {
    this.port = port;
    this.method = method;
    this.path = path;
    this.host = "127.0.0.1:" + port;
  }

  static RawHttp request(int port, String method, String path) {
    return new RawHttp(port, method, path);
  }

  static RawHttp get(int port, String path) {
    return request(port, "GET", path);
  }

  static RawHttp post(int port, String path) {
    return request(port, "POST", path);
  }

  /** The {@code Host} header; null sends none. */
  RawHttp host(String value) {
    this.host = value;
    return this;
  }

  RawHttp header(String name, String value) {
    headers.add(name + ": " + value);
    return this;
  }

  /** A form body ({@code application/x-www-form-urlencoded}). */
  RawHttp form(String value) {
    header("Content-Type", "application/x-www-form-urlencoded");
    this.body = value;
    return this;
  }

  /** An answer: status, headers by lower-case name, body as UTF-8. */
  record Response(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }
  }

  /** Sends with {@code Connection: close} and reads the whole answer (5 s at most per read). */
  Response send() throws IOException {
    try (Socket socket = connect()) {
      InputStream in = socket.getInputStream();
      Response head = readHead(in);
      return new Response(head.status(), head.headers(), readBody(in, head));
    }
  }

  /** Sends and follows the event stream the answer opens (or holds the answer that refused it). */
  EventStream stream() throws IOException {
    Socket socket = connect();
    InputStream in = socket.getInputStream();
    Response head = readHead(in);
    if (head.status() != 200) {
      String text = readBody(in, head);
      socket.close();
      return new EventStream(null, new Response(head.status(), head.headers(), text));
    }
    return new EventStream(socket, head);
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port);
    socket.setSoTimeout(5_000);
    StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    if (host != null) {
      request.append("Host: ").append(host).append("\r\n");
    }
    for (String h : headers) {
      request.append(h).append("\r\n");
    }
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null || method.equals("POST")) {
      request.append("Content-Length: ").append(bytes.length).append("\r\n");
    }
    request.append("Connection: close\r\n\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
    return socket;
  }

  private static Response readHead(InputStream in) throws IOException {
    String status = line(in);
    String[] parts = status.split(" ", 3);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers.computeIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
    }
    return new Response(Integer.parseInt(parts[1]), headers, null);
  }

  private static String readBody(InputStream in, Response head) throws IOException {
    if (head.status() == 204 || head.status() == 304 || head.status() / 100 == 1) {
      return "";
    }
    String length = head.header("Content-Length");
    if (length != null) {
      return new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
    }
    if ("chunked".equalsIgnoreCase(head.header("Transfer-Encoding"))) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (byte[] chunk = chunk(in); chunk != null; chunk = chunk(in)) {
        all.write(chunk);
      }
      return all.toString(StandardCharsets.UTF_8);
    }
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** The next chunk of a chunked body; null after the last. */
  static byte[] chunk(InputStream in) throws IOException {
    String size = line(in);
    int semicolon = size.indexOf(';');
    int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
    if (n == 0) {
      while (!line(in).isEmpty()) { } // trailers
      return null;
    }
    byte[] bytes = in.readNBytes(n);
    if (bytes.length < n) {
      throw new EOFException("chunk cut short");
    }
    line(in);
    return bytes;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("connection closed mid-line after " + Names.quote(sb.toString()));
      }
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }

  /** One event of a stream: its fields, or a comment ({@code : ping}). */
  record Event(String type, String data, String retry, String comment) {
    @Override
    public String toString() {
      return type != null ? type + " " + data : retry != null ? "retry " + retry : ": " + comment;
    }
  }

  /**
   * An open event stream, read on a thread of its own into a queue; {@link #END} when the server
   * ended it. {@link #close} drops the connection as a closed tab does.
   */
  static final class EventStream implements AutoCloseable {
    static final Event END = new Event("<end>", null, null, null);

    final Response response;
    private final Socket socket;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    EventStream(Socket socket, Response response) {
      this.socket = socket;
      this.response = response;
      if (socket != null) {
        Thread reader = new Thread(this::read, "test-event-stream");
        reader.setDaemon(true);
        reader.start();
      }
    }

    private void read() {
      try {
        socket.setSoTimeout(0); // the test bounds its waits on the queue
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        for (byte[] chunk = chunk(in); chunk != null; chunk = chunk(in)) {
          text.append(new String(chunk, StandardCharsets.UTF_8));
          for (int end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
            events.add(parse(text.substring(0, end)));
            text.delete(0, end + 2);
          }
        }
      } catch (IOException closed) {
        // the test closed it, or the server dropped it: END either way
      } finally {
        events.add(END);
      }
    }

    private static Event parse(String block) {
      String type = null;
      String retry = null;
      String comment = null;
      StringBuilder data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith(":")) {
          comment = line.substring(1).strip();
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
        } else if (line.startsWith("retry: ")) {
          retry = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(line.substring(6));
        }
      }
      return new Event(type, data == null ? null : data.toString(), retry, comment);
    }

    /** The next event within {@code timeout}; fails the test otherwise. */
    Event next(Duration timeout) throws InterruptedException {
      Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        throw new AssertionError("no event within " + timeout);
      }
      return e;
    }

    /** Events up to and including the first of {@code type}, within {@code timeout} in all. */
    List<Event> until(String type, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<Event> seen = new ArrayList<>();
      while (true) {
        Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (e == null) {
          throw new AssertionError("no " + type + " event within " + timeout + "; saw " + seen);
        }
        seen.add(e);
        if (type.equals(e.type()) || (type.equals("ping") && "ping".equals(e.comment()))) {
          return seen;
        }
        if (e == END) {
          throw new AssertionError("the stream ended before a " + type + " event; saw " + seen);
        }
      }
    }

    /** The next event of {@code type} (others skipped) within {@code timeout}. */
    Event nextOf(String type, Duration timeout) throws InterruptedException {
      List<Event> seen = until(type, timeout);
      return seen.get(seen.size() - 1);
    }

    /** True when the server ends the stream within {@code timeout} (events before are skipped). */
    boolean endsWithin(Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (e == null) {
          return false;
        }
        if (e == END) {
          return true;
        }
      }
    }

    @Override
    public void close() throws IOException {
      if (socket != null) {
        socket.close();
      }
    }
  }
}
