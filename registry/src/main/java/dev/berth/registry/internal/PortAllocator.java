package dev.berth.registry.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * Chooses a port for one endpoint: its remembered berth if free, else a pool port nobody
 * remembers, else (the pool is full of memories) a port remembered for someone else.
 * Every candidate is probed. Thread-safe; called outside the lease table's lock (a probe is a
 * bind), with the ports the table held a moment ago as {@code unavailable}: the table re-checks
 * the choice before it commits it.
 */
final class PortAllocator {

  /** A port found taken by a process outside Berth while allocating. */
  record InUse(int port, boolean sticky, String bindError) {}

  /** The outcome: a port (empty when none is left) and the taken ports met on the way. */
  record Allocation(OptionalInt port, List<InUse> inUse) {}

  private final PortPool pool;
  private final PortCheck probe;
  private final StickyPorts sticky;
  private final IntSupplier ownPort;

  /** @param ownPort the registry's own port, known only once its server is bound */
  PortAllocator(PortPool pool, PortCheck probe, StickyPorts sticky, IntSupplier ownPort) {
    this.pool = pool;
    this.probe = probe;
    this.sticky = sticky;
    this.ownPort = ownPort;
  }

  PortPool pool() {
    return pool;
  }

  /** {@link #allocate(String, String, String, IntPredicate)} in the default namespace. */
  Allocation allocate(String service, String endpoint, IntPredicate unavailable) {
    return allocate("", service, endpoint, unavailable);
  }

  /**
   * @param unavailable ports that must not be chosen: held by a lease (live or reserved),
   *     already chosen for another endpoint, or already refused by this instance's bind
   */
  Allocation allocate(String namespace, String service, String endpoint, IntPredicate unavailable) {
    int own = ownPort.getAsInt();
    IntPredicate skip = unavailable.or(p -> p == own);
    List<InUse> inUse = new ArrayList<>();
    // 1. the remembered berths, in order: the nth running instance lands on ports[n-1]
    for (int port : sticky.portsFor(namespace, service, endpoint)) {
      if (!skip.test(port) && isFree(port, true, inUse)) {
        return new Allocation(OptionalInt.of(port), inUse);
      }
    }
    // 2. a pool port no other (namespace, service, endpoint) remembers: handing out someone
    //    else's berth (another stack's "orders" too) would cost it its port the next time
    OptionalInt fresh = firstFree(skip.or(sticky::isRemembered), inUse);
    if (fresh.isPresent()) {
      return new Allocation(fresh, inUse);
    }
    // 3. the pool is all memories: a free remembered port beats failing
    return new Allocation(firstFree(skip.or(p -> !sticky.isRemembered(p)), inUse), inUse);
  }

  private OptionalInt firstFree(IntPredicate skip, List<InUse> inUse) {
    for (int port = pool.first(); port <= pool.last(); port++) {
      if (!skip.test(port) && isFree(port, false, inUse)) {
        return OptionalInt.of(port);
      }
    }
    return OptionalInt.empty();
  }

  private boolean isFree(int port, boolean isSticky, List<InUse> inUse) {
    var failure = probe.check(port);
    if (failure.isPresent()) {
      if (inUse.stream().noneMatch(u -> u.port() == port)) {
        inUse.add(new InUse(port, isSticky, failure.get()));
      }
      return false;
    }
    return true;
  }
}
