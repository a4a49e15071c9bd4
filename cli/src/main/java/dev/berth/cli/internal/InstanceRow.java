package dev.berth.cli.internal;

import dev.berth.client.Address;
import dev.berth.client.internal.Addresses;
import dev.berth.local.ServiceName;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One endpoint of one live instance: a line of {@code berth ls}. Immutable. */
final class InstanceRow {

  final String service;
  final String endpoint;
  final int port; // 0 for a Unix socket endpoint
  private final Address address;
  final long pid;
  final String instanceId;
  final Instant liveSince;

  private InstanceRow(Instance instance, Endpoint endpoint) {
    this.service = instance.getService();
    this.endpoint = endpoint.getName().isEmpty() ? ServiceName.MAIN : endpoint.getName();
    this.port = endpoint.getPort();
    this.address = Addresses.of(endpoint);
    this.pid = instance.getPid();
    this.instanceId = instance.getInstanceId();
    this.liveSince = instance.hasLiveSince()
        ? Instant.ofEpochSecond(instance.getLiveSince().getSeconds(), instance.getLiveSince().getNanos())
        : null;
  }

  /** Rows in the registry's order (by service, then by the time they became live). */
  static List<InstanceRow> of(ListResponse list) {
    List<InstanceRow> rows = new ArrayList<>();
    for (Instance instance : list.getInstancesList()) {
      for (Endpoint endpoint : instance.getEndpointsList()) {
        rows.add(new InstanceRow(instance, endpoint));
      }
    }
    return rows;
  }

  /** {@code 127.0.0.1:P}, {@code [::1]:P} or {@code unix:/path}: {@link Address#toString}. */
  String address() {
    return address.toString();
  }

  /** "12s", "3m04s", "2h05m", "3d04h"; "-" when unknown. */
  String uptime(Instant now) {
    if (liveSince == null) {
      return "-";
    }
    long s = Math.max(0, Duration.between(liveSince, now).getSeconds());
    if (s < 60) {
      return s + "s";
    } else if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    } else if (s < 86400) {
      return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    return String.format("%dd%02dh", s / 86400, (s % 86400) / 3600);
  }
}
