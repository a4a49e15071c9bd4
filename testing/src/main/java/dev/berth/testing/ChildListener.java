package dev.berth.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP listener in a child process of its own (python3), on a host and port a test chooses:
 * a server on {@code 0.0.0.0}, one on {@code ::1} only (IPV6_V6ONLY), one on {@code 127.0.0.1}
 * only, a squatter on a remembered berth. It accepts and closes connections. Started ready:
 * {@link #start} returns once the socket listens (the child prints its port), within 20 s.
 * {@link #close} kills it ({@code kill -9}) and waits for it.
 *
 * <pre>{@code
 * try (ChildListener open = ChildListener.start("0.0.0.0", 0)) {
 *   int port = open.port();
 * }
 * }</pre>
 */
public final class ChildListener implements AutoCloseable {

  private static final String SCRIPT = String.join("\n",
      "import socket, sys",
      "host, port = sys.argv[1], int(sys.argv[2])",
      "family = socket.AF_INET6 if ':' in host else socket.AF_INET",
      "s = socket.socket(family, socket.SOCK_STREAM)",
      "if family == socket.AF_INET6:",
      "    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)",
      "s.bind((host, port))",
      "s.listen(16)",
      "print(s.getsockname()[1], flush=True)",
      "while True:",
      "    c, _ = s.accept()",
      "    c.close()");

  private final Process process;
  private final String host;
  private final int port;

  private ChildListener(Process process, String host, int port) {
    this.process = process;
    this.host = host;
    this.port = port;
  }

  /** Listens on {@code host}:{@code port} (0: any free port) in a new python3 process. */
  public static ChildListener start(String host, int port) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("python3", "-c", SCRIPT, host, Integer.toString(port))
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String first;
    try {
      first = line.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      first = null;
    }
    if (first == null || !first.trim().matches("\\d+")) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IOException("listener on " + host + ":" + port + " did not start: " + first);
    }
    return new ChildListener(p, host, Integer.parseInt(first.trim()));
  }

  public int port() {
    return port;
  }

  public String host() {
    return host;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
