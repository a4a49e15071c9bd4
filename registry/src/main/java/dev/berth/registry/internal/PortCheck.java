package dev.berth.registry.internal;

import dev.berth.local.PortProbe;
import java.util.Optional;

/**
 * Whether a port can be bound right now: {@link PortProbe#check} in the registry, a slow or
 * scripted one in tests. Implementations are thread-safe and may block for a bind, so
 * {@link LeaseTable} calls them outside its lock.
 */
@FunctionalInterface
interface PortCheck {

  /** Empty when the port is free on every loopback address, else what the bind said. */
  Optional<String> check(int port);

  static PortCheck of(PortProbe probe) {
    return probe::check;
  }
}
