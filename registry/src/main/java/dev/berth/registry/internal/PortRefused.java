package dev.berth.registry.internal;

import java.util.Optional;

/** A requested port that cannot be granted; the session names the holder and counts it. */
final class PortRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final String endpoint;
  final int port;
  final transient Optional<LeaseTable.PortLease> lease;
  final String bindError;

  PortRefused(String endpoint, int port, Optional<LeaseTable.PortLease> lease, String bindError) {
    super(null, null, false, false);
    this.endpoint = endpoint;
    this.port = port;
    this.lease = lease;
    this.bindError = bindError;
  }
}
