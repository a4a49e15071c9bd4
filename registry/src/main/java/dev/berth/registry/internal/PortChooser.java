package dev.berth.registry.internal;

import io.grpc.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Picks and probes the ports of one registration against a copy of the ports the lease table
 * held a moment ago. Runs outside the table's lock (a probe is a bind, and Resolve on the
 * transport threads needs that lock); the table re-checks what it returns before committing.
 * Thread-safe (stateless beyond its collaborators).
 */
final class PortChooser {

  private final PortAllocator allocator;
  private final PortCheck probe;

  PortChooser(PortAllocator allocator, PortCheck probe) {
    this.allocator = allocator;
    this.probe = probe;
  }

  /**
   * A port per endpoint of {@code reg}, in endpoint order (0 for a Unix socket endpoint):
   * requested ports as asked (probed unless already bound), the rest allocated avoiding
   * {@code held}.
   *
   * @throws PortRefused a requested port is taken by a process outside Berth
   */
  int[] choose(Registration reg, Set<Integer> held, List<LeaseTable.Conflict> conflicts) {
    List<Registration.EndpointSpec> specs = reg.endpoints();
    int[] ports = new int[specs.size()];
    Set<Integer> chosen = new HashSet<>(held);
    // requested ports first: an automatic choice must not take a port someone asked for
    for (int i = 0; i < specs.size(); i++) {
      Registration.EndpointSpec spec = specs.get(i);
      if (spec.requestedPort() != 0) {
        ports[i] = checkRequested(spec);
        chosen.add(ports[i]);
      }
    }
    for (int i = 0; i < specs.size(); i++) {
      if (ports[i] == 0 && !specs.get(i).isUnix()) {
        ports[i] = allocate(reg.namespace(), reg.service(), specs.get(i).name(), chosen, conflicts);
        chosen.add(ports[i]);
      }
    }
    return ports;
  }

  /** One pool port for (namespace, service, endpoint), none of {@code unavailable}. */
  int allocate(String namespace, String service, String endpoint, Set<Integer> unavailable,
      List<LeaseTable.Conflict> conflicts) {
    PortAllocator.Allocation a = allocator.allocate(namespace, service, endpoint,
        unavailable::contains);
    for (PortAllocator.InUse inUse : a.inUse()) {
      // a retry after a lost race meets the same squatters again: report each once
      if (conflicts.stream().noneMatch(c -> c.inUse().port() == inUse.port())) {
        conflicts.add(new LeaseTable.Conflict(namespace, service, endpoint, inUse));
      }
    }
    OptionalInt port = a.port();
    if (port.isEmpty()) {
      throw Status.RESOURCE_EXHAUSTED
          .withDescription(String.format(
              "no free port for service %s endpoint %s%s in pool %s "
                  + "(expected: a pool port that is not live, reserved or in use)",
              Names.quote(service), Names.quote(endpoint), LeaseEntry.inNamespace(namespace),
              allocator.pool()))
          .asRuntimeException();
    }
    return port.getAsInt();
  }

  private int checkRequested(Registration.EndpointSpec spec) {
    int port = spec.requestedPort();
    if (!spec.alreadyBound()) {
      // already_bound: the caller listens there itself (re-attaching after a registry
      // restart; LeaseStream checked that with ListenCheck), so a probe would only find it
      Optional<String> failure = probe.check(port);
      if (failure.isPresent()) {
        throw new PortRefused(spec.name(), port, Optional.empty(), failure.get());
      }
    }
    return port;
  }
}
