package dev.berth.cli.internal;

import dev.berth.client.internal.Addresses;
import dev.berth.local.ServiceName;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One endpoint of one live instance: a line of {@code berth ls}. Plain values, so that the
 * fast path ({@link FastPath}) builds the same rows from the registry's JSON view without
 * loading protobuf. Immutable.
 */
final class InstanceRow {

  final String service;
  final String endpoint;
  final int port; // 0 for a Unix socket endpoint
  private final String address;
  final long pid;
  final String instanceId;
  final Instant liveSince;
  final String namespace; // "" for the default namespace
  /** Endpoint.listen_address: "0.0.0.0", "::", "127.0.0.1", "::1"; "" when unknown. */
  final String listenAddress;

  InstanceRow(String namespace, String service, String endpoint, int port, String address, long pid,
      String instanceId, Instant liveSince) {
    this(namespace, service, endpoint, port, address, "", pid, instanceId, liveSince);
  }

  /** @param listenAddress what the socket is bound to; null or "" when unknown */
  InstanceRow(String namespace, String service, String endpoint, int port, String address,
      String listenAddress, long pid, String instanceId, Instant liveSince) {
    this.namespace = namespace == null ? "" : namespace;
    this.listenAddress = listenAddress == null ? "" : listenAddress;
    this.service = service;
    this.endpoint = endpoint.isEmpty() ? ServiceName.MAIN : endpoint;
    this.port = port;
    this.address = address;
    this.pid = pid;
    this.instanceId = instanceId;
    this.liveSince = liveSince;
  }

  private static InstanceRow of(Instance instance, Endpoint endpoint) {
    return new InstanceRow(instance.getNamespace(), instance.getService(), endpoint.getName(),
        endpoint.getPort(), Addresses.of(endpoint).toString(), endpoint.getListenAddress(),
        instance.getPid(), instance.getInstanceId(),
        instance.hasLiveSince()
            ? Instant.ofEpochSecond(instance.getLiveSince().getSeconds(), instance.getLiveSince().getNanos())
            : null);
  }

  /** Rows in the registry's order (by service, then by the time they became live). */
  static List<InstanceRow> of(ListResponse list) {
    List<InstanceRow> rows = new ArrayList<>();
    for (Instance instance : list.getInstancesList()) {
      for (Endpoint endpoint : instance.getEndpointsList()) {
        rows.add(of(instance, endpoint));
      }
    }
    return rows;
  }

  /** {@code 127.0.0.1:P}, {@code [::1]:P} or {@code unix:/path}: {@code Address.toString}. */
  String address() {
    return address;
  }

  /**
   * True when the endpoint's socket listens beyond loopback (a wildcard, 0.0.0.0 or ::): other
   * machines can reach it. False when it is loopback only, or unknown (no /proc, an older
   * registry).
   */
  boolean reachableFromOtherMachines() {
    return !listenAddress.isEmpty() && !listenAddress.equals("127.0.0.1") && !listenAddress.equals("::1");
  }

    /** "12s", "3m04s", "2h05m", "3d04h"; "-" when unknown. */
  String uptime(Instant now) {
    return uptime(liveSince, now);
  }

  /** {@link #uptime(Instant)} of something up since {@code since} (null: unknown); berth ps's too. */
  static String uptime(Instant since, Instant now) {
    if (since == null) {
      return "-";
    }
    long s = Math.max(0, Duration.between(since, now).getSeconds());
    // no String.format: its parser costs the fast path's cold JVM more than the whole table
    if (s < 60) {
      return s + "s";
    } else if (s < 3600) {
      return (s / 60) + "m" + twoDigits(s % 60) + "s";
    } else if (s < 86400) {
      return (s / 3600) + "h" + twoDigits((s % 3600) / 60) + "m";
    }
    return (s / 86400) + "d" + twoDigits((s % 86400) / 3600) + "h";
  }

  private static String twoDigits(long n) {
    return n < 10 ? "0" + n : Long.toString(n);
  }
}
