package dev.berth.client.internal;

import dev.berth.client.BerthException;
import java.time.Duration;
import java.util.concurrent.Executor;

/** Connects a new {@code Berth}: finds a registry that answers, or starts one if allowed. Stateless. */
public final class Connector {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private Connector() {}

  /**
   * A connection to the registry {@code locator} finds, checked to answer. With
   * {@code autoStart} (and no fixed address), starts one when none answers, or waits for
   * the one that holds the state dir's lock. Throws {@link BerthException}
   * {@code UNAVAILABLE} naming where it looked otherwise, {@code FAILED_PRECONDITION} when
   * the state dir or token is not the user's own ({@link RegistryLocator#checkTrusted}).
   */
  public static RegistryConnection connect(RegistryLocator locator, Executor executor, boolean autoStart) {
    locator.checkTrusted(); // a foreign or open state dir: refuse before any token leaves
    RegistryConnection connection = new RegistryConnection(locator, executor);
    try {
      if (connection.probe(PROBE_TIMEOUT)) {
        return connection;
      }
      if (!autoStart || locator.isFixed()) {
        throw connection.unreachable(null);
      }
      if (!RegistryAutoStarter.isAvailable()) {
        throw new BerthException(connection.unreachable(null).status()
            .augmentDescription("(auto-start needs berth-registry on the class path)"));
      }
      RegistryAutoStarter.ensureRunning(connection);
      return connection;
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
  }
}
