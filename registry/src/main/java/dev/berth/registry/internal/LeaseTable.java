package dev.berth.registry.internal;

import dev.berth.proto.v1.BerthHolder;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.Snapshot;
import io.grpc.Status;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every instance the registry knows: reserved ones (assigned, not yet ready) and live ones,
 * with the ports and Unix socket paths each holds. Thread-safe: all state is guarded by this
 * object's monitor, which {@code Resolve}, {@code Watch} and {@code List} take on the
 * transport threads, so nothing slow happens under it: ports are probed by
 * {@link PortChooser} outside it, then re-checked and committed under it, so one port is never
 * handed to two instances. Listeners ({@link #onChange}) run after each change, outside it.
 */
final class LeaseTable {

  /** Where an endpoint is called until its instance's ready says otherwise. */
  static final String HOST = Hosts.V4;

  /** A port taken by a foreign process, met while allocating for an endpoint. */
  record Conflict(String namespace, String service, String endpoint, PortAllocator.InUse inUse) {}

  /** Ports assigned to an instance, in endpoint order. */
  record Reservation(String instanceId, List<Endpoint> endpoints) {}

  /** What a removal took away; {@code wasLive} tells whether watchers saw it. */
  record Removed(String namespace, String service, List<String> endpoints, boolean wasLive) {}

  /** A port held by a lease, for WhoHas and for refusing requested ports. */
  record PortLease(BerthHolder holder, boolean live) {
    String describe() {
      return String.format("%s instance %s of service %s/%s%s (pid %d)",
          live ? "live" : "reserved", holder.getInstanceId(), holder.getService(),
          holder.getEndpoint(), LeaseEntry.inNamespace(holder.getNamespace()), holder.getPid());
    }
  }

  private final PortChooser chooser;
  private final int maxInstances;
  private final Clock clock;
  private final ChangeListeners listeners = new ChangeListeners(this, "lease table");
  // all guarded by this
  private final Map<String, LeaseEntry> leases = new LinkedHashMap<>(); // in the order reserved
  private final Map<Integer, LeaseEntry> byPort = new HashMap<>();
  private final Map<String, LeaseEntry> byUnixPath = new HashMap<>();
  private final Map<String, LeaseEntry> live = new LinkedHashMap<>(); // in the order they went live
  private long version;
  private long nextId = 1;
  private int ownEntries; // added by addLive: the registry's own, outside maxInstances and liveCount

  LeaseTable(PortAllocator allocator, PortCheck probe, int maxInstances, Clock clock) {
    this.chooser = new PortChooser(allocator, probe);
    this.maxInstances = maxInstances;
    this.clock = clock;
  }

  /**
   * Reserves ports for a new instance: candidates are chosen against the ports held now and
   * probed outside the lock; a port another instance took meanwhile is tried again. Foreign
   * processes met on the way are appended to {@code conflicts} even when this throws.
   *
   * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED (too many instances, pool
   *     empty), ALREADY_EXISTS (a Unix socket path another instance holds)
   * @throws PortRefused a requested port is taken
   */
  Reservation reserve(Registration reg, List<Conflict> conflicts) {
    Set<Integer> lostRaces = new HashSet<>();
    while (true) {
      Set<Integer> held;
      synchronized (this) {
        checkAdmissible(reg);
        held = new HashSet<>(byPort.keySet());
      }
      held.addAll(lostRaces);
      int[] ports = chooser.choose(reg, held, conflicts); // binds: outside the lock
      Reservation committed = null;
      synchronized (this) {
        checkAdmissible(reg); // what changed while we probed
        List<Integer> taken = takenMeanwhile(reg, ports);
        if (taken.isEmpty()) {
          committed = commit(reg, ports);
        }
        lostRaces.addAll(taken);
      }
      if (committed != null) {
        listeners.changed();
        return committed;
      }
    }
  }

  /**
   * Gives endpoint {@code index} of a reserved instance a new port, avoiding {@code refused}
   * (ports its binds already failed on); probes outside the lock like {@link #reserve}.
   */
  Reservation reassign(String instanceId, int index, Set<Integer> refused,
      List<Conflict> conflicts) {
    Set<Integer> avoid = new HashSet<>(refused);
    while (true) {
      LeaseEntry lease;
      Set<Integer> held;
      synchronized (this) {
        lease = reserved(instanceId);
        held = new HashSet<>(byPort.keySet());
      }
      held.addAll(avoid);
      int port = chooser.allocate(lease.namespace(), lease.service(),
          lease.registration.endpoints().get(index).name(), held, conflicts);
      Reservation moved;
      synchronized (this) {
        reserved(instanceId);
        if (byPort.containsKey(port)) {
          avoid.add(port); // another instance took it while we probed
          continue;
        }
        byPort.remove(lease.ports[index], lease);
        lease.ports[index] = port;
        byPort.put(port, lease);
        version++;
        moved = new Reservation(lease.instanceId, InstanceMessages.endpoints(lease));
      }
      listeners.changed();
      return moved;
    }
  }

  /**
   * Adds an instance that is live at once on a port its owner already listens on: the
   * registry's own {@code berth/metrics}. Not from the pool, so it never takes a berth; not
   * counted in {@link #liveCount} nor against {@code maxInstances}. Never removed.
   */
  String addLive(Registration reg, int port) {
    LeaseEntry lease;
    synchronized (this) {
      if (reg.endpoints().size() != 1 || byPort.containsKey(port)) {
        throw new IllegalStateException("addLive: " + reg + " on port " + port
            + " (expected: one endpoint on a port no lease holds)");
      }
      lease = new LeaseEntry(reg.service() + "-" + nextId++, reg);
      lease.ports[0] = port;
      lease.liveSince = clock.instant();
      leases.put(lease.instanceId, lease);
      byPort.put(port, lease);
      live.put(lease.instanceId, lease);
      ownEntries++;
      version++;
    }
    listeners.changed();
    return lease.instanceId;
  }

  /**
   * Makes a reserved instance visible, its endpoints where {@code listening} says (in endpoint
   * order: host "127.0.0.1", or "::1" for one that listens there only, "" for a Unix socket
   * endpoint; and the address its socket is bound to, "" when unknown); returns its record, or
   * empty if it is gone.
   */
  Optional<Instance> markLive(String instanceId, List<ListenCheck.Listening> listening) {
    Instance instance;
    boolean wentLive = false;
    synchronized (this) {
      LeaseEntry lease = leases.get(instanceId);
      if (lease == null) {
        return Optional.empty();
      }
      if (listening.size() != lease.hosts.length) {
        throw new IllegalArgumentException("listening: " + listening + " (expected: one per endpoint)");
      }
      if (lease.liveSince == null) {
        for (int i = 0; i < listening.size(); i++) {
          lease.hosts[i] = listening.get(i).host();
          lease.listenAddresses[i] = listening.get(i).listenAddress();
        }
        lease.liveSince = clock.instant();
        live.put(instanceId, lease);
        version++;
        wentLive = true;
      }
      instance = InstanceMessages.instance(lease);
    }
    if (wentLive) {
      listeners.changed();
    }
    return Optional.of(instance);
  }

  /** Forgets an instance and frees its ports and paths; null if it was not there. */
  Removed remove(String instanceId) {
    LeaseEntry lease;
    boolean wasLive;
    synchronized (this) {
      lease = leases.remove(instanceId);
      if (lease == null) {
        return null;
      }
      for (int i = 0; i < lease.ports.length; i++) {
        if (lease.isUnix(i)) {
          byUnixPath.remove(lease.unixPath(i), lease);
        } else {
          byPort.remove(lease.ports[i], lease);
        }
      }
      wasLive = live.remove(instanceId) != null;
      version++;
    }
    listeners.changed();
    return new Removed(lease.namespace(), lease.service(), lease.endpointNames(), wasLive);
  }

  /** The live targets of (service, endpoint) in the default namespace. */
  Snapshot snapshot(String service, String endpoint) {
    return snapshot("", service, endpoint);
  }

  /**
   * The live targets of (service, endpoint) as seen from {@code namespace}, in the order they
   * went live: that namespace's when it has any, else the default namespace's, never
   * another's ({@link InstanceMessages#snapshot}).
   */
  synchronized Snapshot snapshot(String namespace, String service, String endpoint) {
    return InstanceMessages.snapshot(live.values(), version, namespace, service, endpoint);
  }

  /** Every live instance of every namespace, by service, then in the order they went live. */
  List<Instance> list() {
    return list(null);
  }

  /**
   * The live instances of {@code namespace} only ("" the default namespace's; null: every
   * namespace's), by service, then in the order they went live.
   */
  synchronized List<Instance> list(String namespace) {
    return InstanceMessages.instances(live.values(), namespace);
  }

  /**
   * Every instance of every namespace at one moment: the live ones in {@link #list()}'s order,
   * then the reserved ones (no {@code live_since}) by service, then in the order they were
   * reserved. For the dashboard, which shows an instance from its reservation on.
   */
  synchronized List<Instance> listWithReserved() {
    List<Instance> out = new ArrayList<>(InstanceMessages.instances(live.values(), null));
    List<Instance> reserved = new ArrayList<>();
    for (LeaseEntry lease : leases.values()) {
      if (!lease.isLive()) {
        reserved.add(InstanceMessages.instance(lease));
      }
    }
    reserved.sort(Comparator.comparing(Instance::getService)); // stable: keeps reservation order
    out.addAll(reserved);
    return out;
  }

  /**
   * Runs {@code listener} after every change of the table: a reservation, a port moved after a
   * failed bind, an instance gone live, a removal. It runs on the thread that made the change
   * (a gRPC transport thread, a timer), after the table's lock is released: it must be quick
   * and must not block. What it throws is logged, never passed to the change's caller.
   */
  void onChange(Runnable listener) {
    listeners.add(listener);
  }
  synchronized Optional<PortLease> holderOf(int port) {
    LeaseEntry lease = byPort.get(port);
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
        .setNamespace(lease.namespace())
        .build(), lease.isLive()));
  }

  /** Live instances of services, not counting the registry's own entry. */
  synchronized int liveCount() {
    return live.size() - ownEntries;
  }

  synchronized int size() {
    return leases.size();
  }

  /** Guarded by this: room for one more instance, its requested ports and paths not held. */
  private void checkAdmissible(Registration reg) {
    if (leases.size() - ownEntries >= maxInstances) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(String.format("instances: %d (expected: at most %d per registry)",
              leases.size() - ownEntries + 1, maxInstances))
          .asRuntimeException();
    }
    for (Registration.EndpointSpec spec : reg.endpoints()) {
      if (spec.requestedPort() != 0 && byPort.containsKey(spec.requestedPort())) {
        throw new PortRefused(spec.name(), spec.requestedPort(), holderOf(spec.requestedPort()), "");
      }
      LeaseEntry other = spec.isUnix() ? byUnixPath.get(spec.unixPath()) : null;
      if (other != null) {
        int index = other.registration.endpoints().stream().map(Registration.EndpointSpec::unixPath)
            .toList().indexOf(spec.unixPath());
        throw Status.ALREADY_EXISTS.withDescription(String.format(
            "endpoint %s unix_path: %s: held by %s (expected: a path no other instance listens on)",
            Names.quote(spec.name()), Names.quote(spec.unixPath()), other.describe(index)))
            .asRuntimeException();
      }
    }
  }

  /** Guarded by this: the automatically chosen ports of {@code ports} that a lease now holds. */
  private List<Integer> takenMeanwhile(Registration reg, int[] ports) {
    List<Integer> taken = new ArrayList<>();
    for (int i = 0; i < ports.length; i++) {
      Registration.EndpointSpec spec = reg.endpoints().get(i);
      if (!spec.isUnix() && spec.requestedPort() == 0 && byPort.containsKey(ports[i])) {
        taken.add(ports[i]);
      }
    }
    return taken;
  }

  private Reservation commit(Registration reg, int[] ports) {
    LeaseEntry lease = new LeaseEntry(reg.service() + "-" + nextId++, reg);
    System.arraycopy(ports, 0, lease.ports, 0, ports.length);
    leases.put(lease.instanceId, lease);
    for (int i = 0; i < ports.length; i++) {
      if (lease.isUnix(i)) {
        byUnixPath.put(lease.unixPath(i), lease);
      } else {
        byPort.put(ports[i], lease);
      }
    }
    version++;
    return new Reservation(lease.instanceId, InstanceMessages.endpoints(lease));
  }

  private LeaseEntry reserved(String instanceId) {
    LeaseEntry lease = leases.get(instanceId);
    if (lease == null || lease.isLive()) {
      throw new IllegalStateException("not a reserved instance: " + instanceId);
    }
    return lease;
  }
}
