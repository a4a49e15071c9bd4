package dev.berth.registry.internal;

import com.google.protobuf.Timestamp;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.Snapshot;
import dev.berth.proto.v1.Target;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The wire form of {@link LeaseEntry} rows: {@code Endpoint}, {@code Instance}, {@code Target},
 * and of the live rows as {@code Resolve}/{@code Watch} and {@code List} see them.
 * Called by the lease table under its monitor; stateless.
 */
final class InstanceMessages {

  private InstanceMessages() {}

  static Endpoint endpoint(LeaseEntry lease, int index) {
    Endpoint.Builder e = Endpoint.newBuilder()
        .setName(lease.registration.endpoints().get(index).name());
    if (lease.isUnix(index)) {
      return e.setUnixPath(lease.unixPath(index)).build(); // host empty, port 0
    }
    return e.setHost(lease.hosts[index]).setPort(lease.ports[index])
        .setAlsoUnixPath(lease.alsoUnixPath(index))
        .setListenAddress(lease.listenAddresses[index]).build();
  }

  static List<Endpoint> endpoints(LeaseEntry lease) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 0; i < lease.ports.length; i++) {
      out.add(endpoint(lease, i));
    }
    return out;
  }

  static Target target(LeaseEntry lease, int index) {
    Target.Builder t = Target.newBuilder()
        .setInstanceId(lease.instanceId)
        .setPid(lease.registration.pid());
    if (lease.isUnix(index)) {
      return t.setUnixPath(lease.unixPath(index)).build();
    }
    return t.setHost(lease.hosts[index]).setPort(lease.ports[index])
        .setAlsoUnixPath(lease.alsoUnixPath(index)).build();
  }

  /** The instance as {@code List} sends it; a reserved one has no {@code live_since}. */
  static Instance instance(LeaseEntry lease) {
    Instance.Builder instance = Instance.newBuilder()
        .setService(lease.service())
        .setInstanceId(lease.instanceId)
        .setPid(lease.registration.pid())
        .addAllEndpoints(endpoints(lease))
        .putAllMetadata(lease.registration.metadata())
        .setNamespace(lease.namespace());
    if (lease.liveSince != null) {
      instance.setLiveSince(Timestamp.newBuilder()
          .setSeconds(lease.liveSince.getEpochSecond())
          .setNanos(lease.liveSince.getNano()));
    }
    return instance.build();
  }

  /**
   * The targets of (service, endpoint) among {@code live} (in the order they went live) as
   * seen from {@code namespace}: that namespace's when it has any, else the default
   * namespace's (services run outside every stack are shared by all), never another's.
   * {@code Snapshot.namespace} says which: "" when it fell back to default targets, else
   * {@code namespace} (also when neither has any). One pass, a second only when falling back.
   */
  static Snapshot snapshot(Collection<LeaseEntry> live, long version, String namespace,
      String service, String endpoint) {
    Snapshot.Builder s = Snapshot.newBuilder()
        .setService(service)
        .setEndpoint(endpoint)
        .setVersion(version)
        .setNamespace(namespace);
    if (addTargets(s, live, namespace, service, endpoint) == 0 && !namespace.isEmpty()
        && addTargets(s, live, "", service, endpoint) > 0) {
      s.setNamespace("");
    }
    return s.build();
  }

  /** Adds the targets of (namespace, service, endpoint) among {@code live}; returns how many. */
  private static int addTargets(Snapshot.Builder s, Collection<LeaseEntry> live, String namespace,
      String service, String endpoint) {
    int added = 0;
    for (LeaseEntry lease : live) {
      if (lease.service().equals(service) && lease.namespace().equals(namespace)) {
        int index = lease.registration.endpointIndex(endpoint);
        if (index >= 0) {
          s.addTargets(target(lease, index));
          added++;
        }
      }
    }
    return added;
  }

  /**
   * The instances of {@code namespace} among {@code live} ("" the default namespace's; null:
   * every namespace's), by service, then in the order they went live.
   */
  static List<Instance> instances(Collection<LeaseEntry> live, String namespace) {
    List<Instance> out = new ArrayList<>();
    for (LeaseEntry lease : live) {
      if (namespace == null || lease.namespace().equals(namespace)) {
        out.add(instance(lease));
      }
    }
    out.sort(Comparator.comparing(Instance::getService)); // stable: keeps live order within one
    return out;
  }
}
