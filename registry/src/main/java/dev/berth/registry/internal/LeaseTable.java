package dev.berth.registry.internal;

import com.google.protobuf.Timestamp;
import dev.berth.local.PortProbe;
import dev.berth.proto.v1.BerthHolder;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.Snapshot;
import dev.berth.proto.v1.Target;
import io.grpc.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Every instance the registry knows: reserved ones (assigned, not yet ready) and live ones,
 * with the ports each holds. Thread-safe: all state is guarded by this object's monitor, and
 * port allocation happens under it too, so one port is never handed to two instances.
 * Nothing here calls out to gRPC or blocks on anything but a quick probe bind.
 */
final class LeaseTable {

  /** Where an endpoint is called until its instance's ready says otherwise. */
  static final String HOST = Hosts.V4;

  /** A port taken by a foreign process, met while allocating for an endpoint. */
  record Conflict(String service, String endpoint, PortAllocator.InUse inUse) {}

  /** Ports assigned to an instance, in endpoint order. */
  record Reservation(String instanceId, List<Endpoint> endpoints) {}

  /** What a removal took away; {@code wasLive} tells whether watchers saw it. */
  record Removed(String service, List<String> endpoints, boolean wasLive) {}

  /** A port held by a lease, for WhoHas and for refusing requested ports. */
  record PortLease(BerthHolder holder, boolean live) {
    String describe() {
      return String.format("%s instance %s of service %s/%s (pid %d)",
          live ? "live" : "reserved", holder.getInstanceId(), holder.getService(),
          holder.getEndpoint(), holder.getPid());
    }
  }

  private static final class Lease {
    final String instanceId;
    final Registration registration;
    final int[] ports;
    final String[] hosts; // where each endpoint listens, known from ready on
    Instant liveSince; // null while reserved

    Lease(String instanceId, Registration registration) {
      this.instanceId = instanceId;
      this.registration = registration;
      this.ports = new int[registration.endpoints().size()];
      this.hosts = new String[ports.length];
      Arrays.fill(hosts, HOST);
    }

    String service() {
      return registration.service();
    }
  }

  private final PortAllocator allocator;
  private final PortProbe probe;
  private final int maxInstances;
  private final Clock clock;
  // all guarded by this
  private final Map<String, Lease> leases = new HashMap<>();
  private final Map<Integer, Lease> byPort = new HashMap<>();
  private final Map<String, Lease> live = new LinkedHashMap<>(); // in the order they went live
  private long version;
  private long nextId = 1;
  private int ownEntries; // added by addLive: the registry's own, outside maxInstances and liveCount

  LeaseTable(PortAllocator allocator, PortProbe probe, int maxInstances, Clock clock) {
    this.allocator = allocator;
    this.probe = probe;
    this.maxInstances = maxInstances;
    this.clock = clock;
  }

  /**
   * Reserves ports for a new instance. Foreign processes met on the way are appended to
   * {@code conflicts} even when this throws.
   *
   * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED (too many instances, pool empty)
   * @throws PortRefused a requested port is taken
   */
  synchronized Reservation reserve(Registration reg, List<Conflict> conflicts) {
    if (leases.size() - ownEntries >= maxInstances) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(String.format("instances: %d (expected: at most %d per registry)",
              leases.size() - ownEntries + 1, maxInstances))
          .asRuntimeException();
    }
    Lease lease = new Lease(reg.service() + "-" + nextId++, reg);
    Set<Integer> chosen = new HashSet<>();
    List<Registration.EndpointSpec> specs = reg.endpoints();
    // requested ports first: an automatic choice must not take a port someone asked for
    for (int i = 0; i < specs.size(); i++) {
      Registration.EndpointSpec spec = specs.get(i);
      if (spec.requestedPort() != 0) {
        lease.ports[i] = checkRequested(spec);
        chosen.add(spec.requestedPort());
      }
    }
    for (int i = 0; i < specs.size(); i++) {
      if (lease.ports[i] == 0) {
        lease.ports[i] = allocate(reg.service(), specs.get(i).name(), chosen, Set.of(), conflicts);
        chosen.add(lease.ports[i]);
      }
    }
    leases.put(lease.instanceId, lease);
    for (int port : lease.ports) {
      byPort.put(port, lease);
    }
    version++;
    return reservation(lease);
  }

  /**
   * Gives endpoint {@code index} of a reserved instance a new port, avoiding {@code refused}
   * (ports its binds already failed on).
   */
  synchronized Reservation reassign(String instanceId, int index, Set<Integer> refused,
      List<Conflict> conflicts) {
    Lease lease = leases.get(instanceId);
    if (lease == null || lease.liveSince != null) {
      throw new IllegalStateException("not a reserved instance: " + instanceId);
    }
    int old = lease.ports[index];
    Set<Integer> others = new HashSet<>();
    for (int port : lease.ports) {
      if (port != old) {
        others.add(port);
      }
    }
    int port = allocate(lease.service(), lease.registration.endpoints().get(index).name(),
        others, refused, conflicts);
    byPort.remove(old, lease);
    lease.ports[index] = port;
    byPort.put(port, lease);
    version++;
    return reservation(lease);
  }

  /**
   * Adds an instance that is live at once on a port its owner already listens on: the
   * registry's own {@code berth/metrics}. Not from the pool, so it never takes a berth; not
   * counted in {@link #liveCount} nor against {@code maxInstances}. Never removed.
   */
  synchronized String addLive(Registration reg, int port) {
    if (reg.endpoints().size() != 1 || byPort.containsKey(port)) {
      throw new IllegalStateException("addLive: " + reg + " on port " + port
          + " (expected: one endpoint on a port no lease holds)");
    }
    Lease lease = new Lease(reg.service() + "-" + nextId++, reg);
    lease.ports[0] = port;
    lease.liveSince = clock.instant();
    leases.put(lease.instanceId, lease);
    byPort.put(port, lease);
    live.put(lease.instanceId, lease);
    ownEntries++;
    version++;
    return lease.instanceId;
  }

  /**
   * Makes a reserved instance visible, its endpoints at {@code hosts} (in endpoint order:
   * "127.0.0.1", or "::1" for one that listens there only); returns its record, or empty if
   * it is gone.
   */
  synchronized Optional<Instance> markLive(String instanceId, List<String> hosts) {
    Lease lease = leases.get(instanceId);
    if (lease == null) {
      return Optional.empty();
    }
    if (hosts.size() != lease.hosts.length) {
      throw new IllegalArgumentException("hosts: " + hosts + " (expected: one per endpoint)");
    }
    if (lease.liveSince == null) {
      hosts.toArray(lease.hosts);
      lease.liveSince = clock.instant();
      live.put(instanceId, lease);
      version++;
    }
    return Optional.of(toInstance(lease));
  }

  /** Forgets an instance and frees its ports; null if it was not there. */
  synchronized Removed remove(String instanceId) {
    Lease lease = leases.remove(instanceId);
    if (lease == null) {
      return null;
    }
    for (int port : lease.ports) {
      byPort.remove(port, lease);
    }
    boolean wasLive = live.remove(instanceId) != null;
    version++;
    return new Removed(lease.service(), endpointNames(lease), wasLive);
  }

  /** The live targets of (service, endpoint), in the order they went live. */
  synchronized Snapshot snapshot(String service, String endpoint) {
    Snapshot.Builder s = Snapshot.newBuilder()
        .setService(service)
        .setEndpoint(endpoint)
        .setVersion(version);
    for (Lease lease : live.values()) {
      if (lease.service().equals(service)) {
        int index = endpointNames(lease).indexOf(endpoint);
        if (index >= 0) {
          s.addTargets(Target.newBuilder()
              .setInstanceId(lease.instanceId)
              .setHost(lease.hosts[index])
              .setPort(lease.ports[index])
              .setPid(lease.registration.pid()));
        }
      }
    }
    return s.build();
  }

  /** Every live instance, by service, then in the order they went live. */
  synchronized List<Instance> list() {
    List<Instance> out = new ArrayList<>();
    for (Lease lease : live.values()) {
      out.add(toInstance(lease));
    }
    out.sort(Comparator.comparing(Instance::getService)); // stable: keeps live order within one
    return out;
  }

  synchronized Optional<PortLease> holderOf(int port) {
    Lease lease = byPort.get(port);
    if (lease == null) {
      return Optional.empty();
    }
    int index = 0;
    while (lease.ports[index] != port) {
      index++;
    }
    return Optional.of(new PortLease(BerthHolder.newBuilder()
        .setService(lease.service())
        .setEndpoint(lease.registration.endpoints().get(index).name())
        .setInstanceId(lease.instanceId)
        .setPid(lease.registration.pid())
        .build(), lease.liveSince != null));
  }

  /** Live instances of services, not counting the registry's own entry. */
  synchronized int liveCount() {
    return live.size() - ownEntries;
  }

  synchronized int size() {
    return leases.size();
  }

  private int checkRequested(Registration.EndpointSpec spec) {
    int port = spec.requestedPort();
    Lease holder = byPort.get(port);
    if (holder != null) {
      throw new PortRefused(spec.name(), port, holderOf(port), "");
    }
    if (!spec.alreadyBound()) {
      // already_bound: the caller listens there itself (re-attaching after a registry
      // restart; AttachSession checked that with ListenCheck), so a probe would only find it
      Optional<String> failure = probe.check(port);
      if (failure.isPresent()) {
        throw new PortRefused(spec.name(), port, Optional.empty(), failure.get());
      }
    }
    return port;
  }

  private int allocate(String service, String endpoint, Set<Integer> chosen, Set<Integer> refused,
      List<Conflict> conflicts) {
    PortAllocator.Allocation a = allocator.allocate(service, endpoint,
        p -> byPort.containsKey(p) || chosen.contains(p) || refused.contains(p));
    for (PortAllocator.InUse inUse : a.inUse()) {
      conflicts.add(new Conflict(service, endpoint, inUse));
    }
    OptionalInt port = a.port();
    if (port.isEmpty()) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(String.format(
              "no free port for service %s endpoint %s in pool %s "
                  + "(expected: a pool port that is not live, reserved or in use)",
              Names.quote(service), Names.quote(endpoint), allocator.pool()))
          .asRuntimeException();
    }
    return port.getAsInt();
  }

  private static List<String> endpointNames(Lease lease) {
    List<String> names = new ArrayList<>();
    for (Registration.EndpointSpec spec : lease.registration.endpoints()) {
      names.add(spec.name());
    }
    return names;
  }

  private static Reservation reservation(Lease lease) {
    return new Reservation(lease.instanceId, endpoints(lease));
  }

  private static List<Endpoint> endpoints(Lease lease) {
    List<Endpoint> out = new ArrayList<>();
    List<Registration.EndpointSpec> specs = lease.registration.endpoints();
    for (int i = 0; i < specs.size(); i++) {
      out.add(Endpoint.newBuilder().setName(specs.get(i).name()).setHost(lease.hosts[i]).setPort(lease.ports[i]).build());
    }
    return out;
  }

  private static Instance toInstance(Lease lease) {
    return Instance.newBuilder()
        .setService(lease.service())
        .setInstanceId(lease.instanceId)
        .setPid(lease.registration.pid())
        .addAllEndpoints(endpoints(lease))
        .setLiveSince(Timestamp.newBuilder()
            .setSeconds(lease.liveSince.getEpochSecond())
            .setNanos(lease.liveSince.getNano()))
        .putAllMetadata(lease.registration.metadata())
        .build();
  }
}
