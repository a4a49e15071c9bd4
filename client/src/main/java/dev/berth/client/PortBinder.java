package dev.berth.client;

import java.io.IOException;

/**
 * Binds whatever listens on an endpoint (an HTTP server, a socket, ...) to the port Berth
 * assigned, and returns how to stop it.
 *
 * <p>Throw {@link java.net.BindException} (or an {@link IOException} caused by one) when
 * the port is taken: Berth then reports the conflict, gets another port from the registry
 * and calls the binder again with it. Any other exception fails the claim.
 *
 * <pre>{@code
 * Claim claim = berth.claim("gateway", "http", port -> {
 *   HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
 *   http.start();
 *   return () -> http.stop(0);
 * });
 * }</pre>
 *
 * <p>Called on the thread that makes the claim, once per attempt.
 */
@FunctionalInterface
public interface PortBinder {
  /** Binds {@code port} on 127.0.0.1; the result is closed when the claim is closed. */
  AutoCloseable bind(int port) throws IOException;
}
