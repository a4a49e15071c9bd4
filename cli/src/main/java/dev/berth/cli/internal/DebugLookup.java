package dev.berth.cli.internal;

import dev.berth.proto.v1.BerthsResponse;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListResponse;
import dev.berth.proto.v1.StickyBerth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@code berth debug NAME} finds in a namespace, by the lookup rule of every command
 * ({@link NamespaceChoice#visible}): that namespace's live instances with a {@code debug}
 * endpoint when it has any, else the default namespace's; and, when none is live, the port
 * remembered for (NAME, debug) in that namespace, else in the default one. Stateless.
 */
final class DebugLookup {

  private DebugLookup() {}

  /**
   * One live instance's debug endpoint.
   *
   * @param address {@code 127.0.0.1:P} (as the registry saw the agent listen)
   * @param runtime from the instance's metadata {@link DebugRuntime#METADATA_KEY}; empty when it
   *     says none (an instance that registered a {@code debug} endpoint by hand)
   */
  record Live(String address, int port, Optional<DebugRuntime> runtime, long pid, String instanceId) {}

  /** The live debug endpoints of {@code service} a lookup from {@code namespace} sees, oldest first. */
  static List<Live> live(ListResponse list, String service, String namespace) {
    Map<String, Instance> byId = new HashMap<>();
    for (Instance i : list.getInstancesList()) {
      byId.put(i.getNamespace() + "/" + i.getInstanceId(), i);
    }
    List<Live> found = new ArrayList<>();
    for (InstanceRow row : NamespaceChoice.visible(InstanceRow.of(list), namespace)) {
      if (row.service.equals(service) && row.endpoint.equals(DebugRuntime.ENDPOINT)) {
        Instance instance = byId.get(row.namespace + "/" + row.instanceId);
        found.add(new Live(row.address(), row.port, runtimeOf(instance), row.pid, row.instanceId));
      }
    }
    return found;
  }

  /** The port remembered for ({@code service}, debug): {@code namespace}'s, else the default's; its first. */
  static OptionalInt remembered(BerthsResponse berths, String service, String namespace) {
    OptionalInt shared = OptionalInt.empty();
    for (StickyBerth b : berths.getBerthsList()) {
      if (!b.getService().equals(service) || !b.getEndpoint().equals(DebugRuntime.ENDPOINT)
          || b.getPortsCount() == 0) {
        continue;
      }
      if (b.getNamespace().equals(namespace)) {
        return OptionalInt.of(b.getPorts(0));
      }
      if (b.getNamespace().isEmpty()) {
        shared = OptionalInt.of(b.getPorts(0));
      }
    }
    return shared;
  }

  private static Optional<DebugRuntime> runtimeOf(Instance instance) {
    if (instance == null) {
      return Optional.empty();
    }
    String value = instance.getMetadataOrDefault(DebugRuntime.METADATA_KEY, "");
    for (DebugRuntime r : DebugRuntime.values()) {
      if (r.metadataValue().equals(value)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
