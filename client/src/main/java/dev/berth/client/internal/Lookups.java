package dev.berth.client.internal;

import dev.berth.client.Address;
import io.grpc.Status;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plain lookups (resolve, watch) for protocols other than gRPC, over any {@link Discovery}.
 * Stateless; blocking where noted.
 */
public final class Lookups {
  private static final Logger logger = Logger.getLogger(Lookups.class.getName());

  private Lookups() {}

  /** The live instances' addresses, oldest first; empty if none. Blocks; see {@link Discovery#resolve}. */
  public static List<Address> resolveAll(Discovery discovery, String service, String endpoint) {
    return resolveAll(discovery, new BerthTarget(service, endpoint));
  }

  /** {@link #resolveAll(Discovery, String, String)} of {@code name} in its namespace. */
  public static List<Address> resolveAll(Discovery discovery, BerthTarget name) {
    return discovery.resolve(name);
  }

  /**
   * Starts a watch delivering address lists to {@code listener}, once at first and on every
   * change. While nothing is known and the backend is away, nothing is called: the listener
   * hears when there is news. A listener that throws is logged and hears the next change.
   */
  public static Discovery.Watch watch(Discovery discovery, String service, String endpoint,
      Consumer<List<Address>> listener) {
    return watch(discovery, new BerthTarget(service, endpoint), listener);
  }

  /** {@link #watch(Discovery, String, String, Consumer)} of {@code name} in its namespace. */
  public static Discovery.Watch watch(Discovery discovery, BerthTarget name, Consumer<List<Address>> listener) {
    String service = name.service();
    String endpoint = name.endpoint();
    return discovery.watch(name, new Discovery.Listener() {
      @Override
      public void onAddresses(List<Address> addresses) {
        try {
          listener.accept(addresses);
        } catch (RuntimeException e) {
          logger.log(Level.WARNING, "berth: watch listener for " + Names.display(service, endpoint) + " threw", e);
        }
      }

      @Override
      public void onError(Status status) {
        // nothing known yet; the watch retries, and the listener hears when there is news
      }
    });
  }
}
