package dev.berth.registry.internal;

import java.util.Optional;

/**
 * The public way in to {@link PortHolders} for other modules: who listens on a loopback
 * port, for a message such as {@code berth up}'s "port 62893 is held by pid 4242 (...)".
 * Thread-safe (stateless).
 */
public final class PortHolderLookup {

  private PortHolderLookup() {}

  /**
   * {@code pid 4242 (java -jar orders.jar)} for the process listening on {@code port}, from
   * {@code /proc}; empty when nothing listens there or {@code /proc} cannot tell.
   */
  public static Optional<String> describe(int port) {
    PortHolders holders = PortHolders.system();
    if (!holders.available()) {
      return Optional.empty();
    }
    return holders.find(port).map(PortHolders.Holder::describe);
  }
}
