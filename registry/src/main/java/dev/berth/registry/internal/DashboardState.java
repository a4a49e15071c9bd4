package dev.berth.registry.internal;

import com.google.protobuf.Timestamp;
import dev.berth.local.internal.JsonText;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.PortConflict;
import dev.berth.proto.v1.RegistryInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The dashboard's {@code state} event ({@code docs/dashboard.md}): the registry, every instance
 * of every namespace, live and reserved, and the recent port conflicts, as one line of JSON
 * without the {@code owner} key, which depends on the request and which {@link
 * DashboardStream#withOwner} adds. Thread-safe: the table and the log are read under their own locks, the registry's facts
 * from what {@code registry.json} says now.
 */
final class DashboardState {

  private final LeaseTable table;
  private final ConflictLog conflicts;
  private final Supplier<RegistryInfo> registry;
  private final Path stateDir;
  private final Clock clock;

  /**
   * {@code registry} gives what {@code registry.json} says at the time (its HTTP address is
   * known only once the HTTP side is up).
   */
  DashboardState(LeaseTable table, ConflictLog conflicts, Supplier<RegistryInfo> registry,
      Path stateDir, Clock clock) {
    this.table = table;
    this.conflicts = conflicts;
    this.registry = registry;
    this.stateDir = stateDir;
    this.clock = clock;
  }

  /**
   * {@code {"registry": {...}, "now": T, "instances": [...], "conflicts": [...]}}: the keys
   * and their order as the contract has them, {@code owner} left out.
   */
  String json() {
    List<Instance> instances = table.listWithReserved();
    List<PortConflict> recent = conflicts.recent();
    RegistryInfo info = registry.get();
    StringBuilder json = new StringBuilder(256 + 256 * instances.size() + 256 * recent.size());
    json.append("{\"registry\": {\"pid\": ").append(info.getPid())
        .append(", \"startedAt\": ").append(info.hasStarted() ? time(info.getStarted()) : "null")
        .append(", \"address\": ").append(JsonText.quote(info.getAddress()))
        .append(", \"httpAddress\": ").append(JsonText.quote(info.getHttpAddress()))
        .append(", \"stateDir\": ").append(JsonText.quote(stateDir.toString()))
        .append("}, \"now\": ").append(JsonText.quote(clock.instant().toString()))
        .append(", \"instances\": [");
    for (int i = 0; i < instances.size(); i++) {
      instance(json.append(i > 0 ? ", " : ""), instances.get(i));
    }
    json.append("], \"conflicts\": [");
    for (int i = 0; i < recent.size(); i++) {
      conflict(json.append(i > 0 ? ", " : ""), recent.get(i));
    }
    return json.append("]}").toString();
  }

  /**
   * Runs {@code listener} after every change of the lease table or the conflicts, on the
   * thread that made it: it must be quick and must not block (see {@link LeaseTable#onChange}).
   */
  void onChange(Runnable listener) {
    table.onChange(listener);
    conflicts.onChange(listener);
  }

  private static void instance(StringBuilder json, Instance instance) {
    json.append("{\"service\": ").append(JsonText.quote(instance.getService()))
        .append(", \"namespace\": ").append(JsonText.quote(instance.getNamespace()))
        .append(", \"instanceId\": ").append(JsonText.quote(instance.getInstanceId()))
        .append(", \"pid\": ").append(instance.getPid())
        .append(", \"state\": ").append(instance.hasLiveSince() ? "\"live\"" : "\"reserved\"")
        .append(", \"since\": ").append(instance.hasLiveSince() ? time(instance.getLiveSince()) : "null")
        .append(", \"command\": ").append(JsonText.quote(instance.getMetadataOrDefault("command", "")))
        .append(", \"debug\": ").append(JsonText.quote(instance.getMetadataOrDefault("debug", "")))
        .append(", \"endpoints\": [");
    List<Endpoint> endpoints = instance.getEndpointsList();
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint e = endpoints.get(i);
      String listen = e.getListenAddress();
      json.append(i > 0 ? ", " : "").append("{\"name\": ").append(JsonText.quote(e.getName()))
          .append(", \"address\": ").append(JsonText.quote(e.getUnixPath().isEmpty()
              ? Hosts.hostPort(e.getHost(), e.getPort()) : "unix:" + e.getUnixPath()))
          .append(", \"listen\": ").append(JsonText.quote(listen.isEmpty()
              ? "" : Hosts.hostPort(listen, e.getPort())))
          .append(", \"exposed\": ").append(isExposed(listen))
          .append('}');
    }
    json.append("]}");
  }

  /**
   * Whether an endpoint bound to {@code listenAddress} ({@code Endpoint.listen_address}) answers
   * other machines: anything but a loopback address, as {@code berth doctor} reports it; not
   * when unknown ("").
   */
  static boolean isExposed(String listenAddress) {
    return !listenAddress.isEmpty() && !listenAddress.startsWith("127.")
        && !listenAddress.equals(Hosts.V6);
  }

  /** As {@code berth conflicts --json} has it, with the asking service's namespace. */
  private static void conflict(StringBuilder json, PortConflict c) {
    json.append("{\"time\": ").append(time(c.getTime()))
        .append(", \"service\": ").append(JsonText.quote(c.getService()))
        .append(", \"namespace\": ").append(JsonText.quote(c.getNamespace()))
        .append(", \"endpoint\": ").append(JsonText.quote(c.getEndpoint()))
        .append(", \"port\": ").append(c.getPort())
        .append(", \"cause\": ").append(JsonText.quote(c.getCause()))
        .append(", \"holderPid\": ").append(c.getHolderPid())
        .append(", \"holderCommandLine\": ").append(JsonText.quote(c.getHolderCommandLine()))
        .append(", \"holderInstance\": ").append(JsonText.quote(c.getHolderInstanceId()))
        .append('}');
  }

  private static String time(Timestamp t) {
    return JsonText.quote(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString());
  }
}
