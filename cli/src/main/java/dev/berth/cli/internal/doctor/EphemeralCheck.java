package dev.berth.cli.internal.doctor;

import dev.berth.proto.v1.Finding;
import dev.berth.registry.internal.PortPool;
import java.util.List;
import java.util.Optional;

/**
 * {@code ephemeral}: the registry's pool overlapping the kernel's ephemeral range, from which
 * every outgoing connection takes its local port: such a connection can hold a berth's port
 * when its service starts. The pool is the running registry's ({@code Berths}); with no
 * registry, {@code $BERTH_PORTS}'s, which the next one will use. The default pool lies outside
 * the range by construction, so without either there is nothing to check.
 */
final class EphemeralCheck implements Check {

  static final String CHECK = "ephemeral";

  @Override
  public void run(Facts facts, List<Finding> out) {
    Optional<PortPool> pool = facts.registry().pool();
    if (pool.isEmpty() || facts.ephemeral().isEmpty()) {
      return;
    }
    PortPool ephemeral = facts.ephemeral().get();
    Optional<PortPool> overlap = pool.get().overlap(ephemeral);
    if (overlap.isEmpty()) {
      return;
    }
    out.add(Check.problem(CHECK, facts.registry().poolSource() + ", " + pool.get()
            + ", overlaps the kernel's ephemeral range " + ephemeral + " (" + PortPool.LINUX_EPHEMERAL_RANGE
            + ") at " + overlap.get() + ": an outgoing connection may hold a berth's port when its service starts",
        "give the registry a pool outside " + ephemeral + " (--ports A-B or $BERTH_PORTS; without"
            + " either it picks one itself), or move the kernel's range (sysctl net.ipv4.ip_local_port_range)")
        .setPort(overlap.get().first()).build());
  }
}
