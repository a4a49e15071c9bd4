package dev.berth.registry.internal;

import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Counts a port conflict, logs who holds the port and keeps it in the {@link ConflictLog}.
 * Thread-safe.
 *
 * <p>Looking the holder up scans {@code /proc}, so callers do it after the lease table's lock
 * is released and, where they can, after answering the client.
 */
final class ConflictReporter {

  private static final System.Logger LOG = System.getLogger(ConflictReporter.class.getName());

  private final RegistryMetrics metrics;
  private final PortHolders holders;
  private final ConflictLog log;

  ConflictReporter(RegistryMetrics metrics, PortHolders holders, ConflictLog log) {
    this.metrics = metrics;
    this.holders = holders;
    this.log = log;
  }

  /** Who holds {@code port} outside Berth, for messages: {@code pid 42 (java ...)}. */
  String describeHolder(int port, String bindError) {
    return describe(holders.find(port), bindError);
  }

  /**
   * Counts, logs and records; {@code what} says what the port was, e.g. "remembered port";
   * {@code namespace} is the asking service's ("" the default).
   */
  void report(String namespace, String service, String endpoint, int port,
      RegistryMetrics.Cause cause, String what, String bindError) {
    metrics.conflict(service, cause);
    Optional<PortHolders.Holder> holder = holders.find(port);
    log.add(namespace, service, endpoint, port, cause,
        holder.map(PortHolders.Holder::pid).orElse(0L),
        holder.map(PortHolders.Holder::commandLine).orElse(""), "");
    LOG.log(Level.INFO, "port conflict ({0}): {1} {2} for {3}/{4}{5} is held by {6}",
        cause.tag(), what, String.valueOf(port), service, endpoint,
        LeaseEntry.inNamespace(namespace), describe(holder, bindError));
  }

  /**
   * Counts, logs and records a requested port that was refused; returns who holds it, for
   * the error sent to the client.
   */
  String reportRefused(String namespace, String service, PortRefused refused) {
    RegistryMetrics.Cause cause = refused.lease.isPresent() && !refused.lease.get().live()
        ? RegistryMetrics.Cause.RESERVED : RegistryMetrics.Cause.REQUESTED_TAKEN;
    metrics.conflict(service, cause);
    String description;
    if (refused.lease.isPresent()) {
      LeaseTable.PortLease lease = refused.lease.get();
      description = lease.describe();
      long pid = lease.holder().getPid();
      log.add(namespace, service, refused.endpoint, refused.port, cause, pid,
          pid == 0 ? "" : holders.commandLine(pid), lease.holder().getInstanceId());
    } else {
      Optional<PortHolders.Holder> holder = holders.find(refused.port);
      description = describe(holder, refused.bindError);
      log.add(namespace, service, refused.endpoint, refused.port, cause,
          holder.map(PortHolders.Holder::pid).orElse(0L),
          holder.map(PortHolders.Holder::commandLine).orElse(""), "");
    }
    LOG.log(Level.INFO, "port conflict ({0}): {1}/{2} asked for port {3}, held by {4}",
        cause.tag(), service, refused.endpoint, String.valueOf(refused.port), description);
    return description;
  }

  /** Reports {@code refused} (see {@link #reportRefused}) and the ALREADY_EXISTS to end its stream with. */
  Status refusal(String namespace, String service, PortRefused refused) {
    String holder = reportRefused(namespace, service, refused);
    return Status.ALREADY_EXISTS.withDescription(String.format(
        "endpoint %s port %d: held by %s (expected: a free port, or port 0 to let the registry choose)",
        Names.quote(refused.endpoint), refused.port, holder));
  }

  private static String describe(Optional<PortHolders.Holder> holder, String bindError) {
    if (holder.isPresent()) {
      return holder.get().describe();
    }
    return bindError.isEmpty() ? "an unknown process" : "an unknown process (" + bindError + ")";
  }
}
