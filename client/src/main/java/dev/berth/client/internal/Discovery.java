package dev.berth.client.internal;

import dev.berth.client.Address;
import io.grpc.Status;
import java.util.List;

/**
 * Where the addresses of a name come from: the one seam between what consumes addresses
 * (the {@code berth:} resolver, {@code Berth.resolve}, {@code resolveAll} and {@code watch})
 * and a backend that knows them. The local registry's {@code Resolve} and {@code Watch}
 * ({@link RegistryDiscovery}) is the first backend; Kubernetes DNS, xDS or a fixed list
 * would be others. Shaped after grpc-java's {@code NameResolver}/{@code Listener2} split and
 * Armeria's {@code DynamicEndpointGroup.setEndpoints}: a backend pushes whole lists, and
 * consumers never see its wire types.
 *
 * <p>Implementations are thread-safe; {@link #watch} never blocks.
 */
public interface Discovery {
  /**
   * The live addresses of {@code name} now, oldest first; empty if none. Blocks for one
   * lookup.
   *
   * @throws dev.berth.client.BerthException with the backend's status (UNAVAILABLE naming
   *     where it looked) when the backend cannot answer
   */
  List<Address> resolve(BerthTarget name);

  /**
   * Starts following {@code name}; returns at once. {@code listener} hears the whole list on
   * every change, and a status while nothing is known and the backend cannot be reached.
   */
  Watch watch(BerthTarget name, Listener listener);

  /**
   * One live instance as a watch finds it: its address and, when it serves the same on a Unix
   * socket too ({@code also_unix_path}), that socket (null otherwise). Only a {@code berth:}
   * channel dials the socket; every other consumer sees {@link #address}.
   */
  record Found(Address address, Address alsoUnix) {
    /** The instances' addresses, in order. */
    public static List<Address> addresses(List<Found> found) {
      return found.stream().map(Found::address).toList();
    }
  }

  /**
   * Receives a watch's results. Calls come one at a time and in order, never while the
   * backend holds a lock of its own, on a thread of the backend's choosing: a listener that
   * is slow delays only its own watch, but should hop to its own executor if it blocks.
   */
  interface Listener {
    /** The live addresses now, oldest first; empty when none is live. */
    void onAddresses(List<Address> addresses);

    /**
     * The same list with each instance's Unix socket, where it has one: what a backend that
     * knows them calls. By default {@link #onAddresses} of the addresses.
     */
    default void onFound(List<Found> found) {
      onAddresses(Found.addresses(found));
    }

    /**
     * Nothing is known yet and the backend cannot be reached ({@code UNAVAILABLE}, naming
     * where it looked). The watch keeps trying; addresses may follow.
     */
    void onError(Status status);
  }

  /** A running watch. */
  interface Watch extends AutoCloseable {
    /**
     * Stops the watch: the listener hears of nothing that happens after this, and calls still
     * queued are dropped (one already under way on another thread may still run). Idempotent;
     * never blocks, not even on a listener that does.
     */
    @Override
    void close();
  }
}
