package dev.berth.client;

import java.io.IOException;

/**
 * Binds whatever listens on an endpoint (an HTTP server, a socket, ...) to the address Berth
 * assigned, and returns how to stop it.
 *
 * <p>Throw {@link java.net.BindException} (or an {@link IOException} caused by one) when
 * the port is taken: Berth then reports the conflict, gets another port from the registry
 * and calls the binder again with it. Any other exception fails the claim.
 *
 * <pre>{@code
 * Claim claim = berth.claim("gateway/http", address -> {
 *   HttpServer http = HttpServer.create(address.inetSocketAddress(), 0);   // 127.0.0.1:61002
 *   http.start();
 *   return () -> http.stop(0);
 * });
 * }</pre>
 *
 * <p>Called on the thread that makes the claim, once per attempt.
 */
@FunctionalInterface
public interface PortBinder {
  /**
   * Binds {@code address} (today always loopback TCP, {@code 127.0.0.1:P}); the result is
   * closed when the claim is closed.
   */
  AutoCloseable bind(Address address) throws IOException;
}
