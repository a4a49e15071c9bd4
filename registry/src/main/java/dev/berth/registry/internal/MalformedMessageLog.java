package dev.berth.registry.internal;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerTransportFilter;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Logs malformed requests without letting a flood of them flood the log: one line per
 * connection at most, and at most one line per {@link #INTERVAL} overall (the next line says
 * how many were left out). No stack trace: the description says what was wrong.
 *
 * <p>Installed as a transport filter, so that it can mark each connection. Thread-safe: the
 * rate limit is guarded by {@code this}, the per-connection mark is atomic.
 */
final class MalformedMessageLog extends ServerTransportFilter {

  static final Duration INTERVAL = Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(MalformedMessageLog.class.getName());
  private static final Attributes.Key<AtomicBoolean> LOGGED =
      Attributes.Key.create("berth.malformed-request-logged");

  private final LongSupplier nanoTicker;
  private final System.Logger log;
  // guarded by this
  private boolean loggedAny;
  private long lastLogged;
  private int leftOut;

  /** @param nanoTicker {@code System::nanoTime}, or a fake clock in tests */
  MalformedMessageLog(LongSupplier nanoTicker) {
    this(nanoTicker, LOG);
  }

  MalformedMessageLog(LongSupplier nanoTicker, System.Logger log) {
    this.nanoTicker = nanoTicker;
    this.log = log;
  }

  @Override
  public Attributes transportReady(Attributes attributes) {
    return attributes.toBuilder().set(LOGGED, new AtomicBoolean()).build();
  }

  /** Logs {@code description} of a malformed request on the connection with {@code attributes}. */
  void malformed(Attributes attributes, String description) {
    AtomicBoolean connectionLogged = attributes.get(LOGGED);
    if (connectionLogged != null && !connectionLogged.compareAndSet(false, true)) {
      return; // this connection already had its line
    }
    int skipped;
    synchronized (this) {
      long now = nanoTicker.getAsLong();
      if (loggedAny && now - lastLogged < INTERVAL.toNanos()) {
        leftOut++;
        return;
      }
      loggedAny = true;
      lastLogged = now;
      skipped = leftOut;
      leftOut = 0;
    }
    log.log(Level.WARNING, "malformed request from {0}: {1}{2}",
        String.valueOf(attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)), description,
        skipped == 0 ? "" : " (and " + skipped + " more from other connections, not logged)");
  }
}
