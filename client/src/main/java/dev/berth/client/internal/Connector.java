package dev.berth.client.internal;

import dev.berth.client.BerthException;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.Executor;

/** Connects a new {@code Berth}: finds a registry that answers, or starts one if allowed. Stateless. */
public final class Connector {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private Connector() {}

  /**
   * A connection to the registry {@code locator} finds, checked to answer. With
   * {@code autoStart} (and no fixed address), starts one when none answers. Throws
   * {@link BerthException} {@code UNAVAILABLE} naming where it looked otherwise.
   */
  public static RegistryConnection connect(RegistryLocator locator, Executor executor, boolean autoStart) {
    RegistryConnection connection = new RegistryConnection(locator, executor);
    try {
      if (connection.probe(PROBE_TIMEOUT)) {
        return connection;
      }
      if (!autoStart || locator.isFixed()) {
        throw connection.unreachable(null);
      }
      if (!RegistryAutoStarter.isAvailable()) {
        Status unreachable = connection.unreachable(null).status();
        // one line, naming the artifact to add (augmentDescription would start a second line)
        throw new BerthException(unreachable.withDescription(unreachable.getDescription()
            + "; autoStart(true) needs dev.berth:berth-registry on the class path to start one"));
      }
      RegistryAutoStarter.ensureRunning(connection);
      return connection;
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }
}
