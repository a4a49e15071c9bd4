package dev.berth.registry.internal;

import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2Exception;
import java.lang.System.Logger.Level;
import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Keeps a connection that does not speak HTTP/2 (a port scanner, {@code curl} on the wrong
 * port, random bytes) from logging a stack trace: such a connection gets one FINE line.
 *
 * <p>Why a log filter: grpc-java logs every transport that ends with an error as "Transport
 * failed" at INFO with the stack trace, unless the error is a plain {@code IOException}; a
 * peer's bad preface is an {@code Http2Exception}, and grpc-java offers no public hook in
 * front of its HTTP/2 handler to stop it sooner. The filter sits on that one logger and
 * drops only records whose exception is an {@code Http2Exception} (the peer broke HTTP/2);
 * every other record, and any filter set before, is kept. Installed once per JVM.
 * Thread-safe.
 */
final class NotHttp2Peers {

  /** The logger grpc-java's Netty server transport reports connection failures on. */
  static final String TRANSPORT_LOGGER =
      "io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport.connections";

  private static final System.Logger LOG = System.getLogger(NotHttp2Peers.class.getName());
  private static Logger installedOn; // guarded by the class; a strong reference keeps the filter

  private NotHttp2Peers() {}

  static synchronized void install() {
    if (installedOn != null) {
      return;
    }
    Logger transport = Logger.getLogger(TRANSPORT_LOGGER);
    Filter before = transport.getFilter();
    transport.setFilter(record -> {
      if (record.getThrown() instanceof Http2Exception e) {
        LOG.log(Level.DEBUG, "connection closed: the peer does not speak HTTP/2 ({0})",
            firstLine(e.getMessage()));
        return false;
      }
      return before == null || before.isLoggable(record);
    });
    installedOn = transport;
  }

  private static String firstLine(String message) {
    String m = String.valueOf(message).strip();
    int end = m.indexOf('\n');
    return end < 0 ? m : m.substring(0, end);
  }
}
