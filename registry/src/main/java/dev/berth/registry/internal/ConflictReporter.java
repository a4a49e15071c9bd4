package dev.berth.registry.internal;

import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Counts a port conflict and logs who holds the port. Thread-safe.
 *
 * <p>Looking the holder up scans {@code /proc}, so callers do it after the lease table's lock
 * is released and, where they can, after answering the client.
 */
final class ConflictReporter {

  private static final System.Logger LOG = System.getLogger(ConflictReporter.class.getName());

  private final RegistryMetrics metrics;
  private final PortHolders holders;

  ConflictReporter(RegistryMetrics metrics, PortHolders holders) {
    this.metrics = metrics;
    this.holders = holders;
  }

  /** Who holds {@code port} outside Berth, for messages: {@code pid 42 (java ...)}. */
  String describeHolder(int port, String bindError) {
    Optional<PortHolders.Holder> holder = holders.find(port);
    if (holder.isPresent()) {
      return holder.get().describe();
    }
    return bindError.isEmpty() ? "an unknown process" : "an unknown process (" + bindError + ")";
  }

  /** Counts and logs; {@code what} says what the port was, e.g. "remembered port". */
  void report(String service, String endpoint, int port, RegistryMetrics.Cause cause,
      String what, String bindError) {
    metrics.conflict(service, cause);
    LOG.log(Level.INFO, "port conflict ({0}): {1} {2} for {3}/{4} is held by {5}",
        cause.tag(), what, String.valueOf(port), service, endpoint, describeHolder(port, bindError));
  }
}
