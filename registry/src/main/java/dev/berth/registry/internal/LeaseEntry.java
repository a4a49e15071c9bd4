package dev.berth.registry.internal;

import java.util.Arrays;
import java.time.Instant;
import java.util.List;

/**
 * One row of the {@link LeaseTable}: an instance, reserved or live, and where each of its
 * endpoints listens. Guarded by the table's monitor: read and written only under it.
 */
final class LeaseEntry {
  final String instanceId;
  final Registration registration;
  /** The TCP port of each endpoint, in endpoint order; 0 for a Unix socket endpoint. */
  final int[] ports;
  /** Where each endpoint is called, known from ready on; empty for a Unix socket endpoint. */
  final String[] hosts;
  /** The address each endpoint's socket is bound to, as ready's check saw it; "" when unknown. */
  final String[] listenAddresses;
  Instant liveSince; // null while reserved

  LeaseEntry(String instanceId, Registration registration) {
    this.instanceId = instanceId;
    this.registration = registration;
    this.ports = new int[registration.endpoints().size()];
    this.hosts = new String[ports.length];
    this.listenAddresses = new String[ports.length];
    Arrays.fill(listenAddresses, "");
    Arrays.fill(hosts, LeaseTable.HOST);
    for (int i = 0; i < ports.length; i++) {
      if (isUnix(i)) {
        hosts[i] = "";
      }
    }
  }

  String service() {
    return registration.service();
  }

  /** "" for the default namespace. */
  String namespace() {
    return registration.namespace();
  }

  boolean isLive() {
    return liveSince != null;
  }

  boolean isUnix(int index) {
    return !unixPath(index).isEmpty();
  }

  String unixPath(int index) {
    return registration.endpoints().get(index).unixPath();
  }

  /** The Unix socket a TCP endpoint also serves on, checked at ready; "" if none. */
  String alsoUnixPath(int index) {
    return registration.endpoints().get(index).alsoUnixPath();
  }

  List<String> endpointNames() {
    return registration.endpointNames();
  }

  /**
   * For messages: {@code live instance orders-3 of service orders/main (pid 42)}, with
   * {@code in namespace shop} after the service when it is not the default one.
   */
  String describe(int index) {
    return String.format("%s instance %s of service %s/%s%s (pid %d)",
        isLive() ? "live" : "reserved", instanceId, service(),
        registration.endpoints().get(index).name(), inNamespace(namespace()), registration.pid());
  }

  /** {@code " in namespace shop"}, or "" for the default namespace. */
  static String inNamespace(String namespace) {
    return namespace.isEmpty() ? "" : " in namespace " + namespace;
  }
}
