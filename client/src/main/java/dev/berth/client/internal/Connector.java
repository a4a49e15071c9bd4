package dev.berth.client.internal;

import dev.berth.client.BerthException;
import dev.berth.local.RegistryLauncher;
import dev.berth.local.StateDir;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.Executor;

/** Connects a new {@code Berth}: finds a registry that answers, or starts one if allowed. Stateless. */
public final class Connector {
  /**
   * How long a registry may take to answer the first health check. Generous on purpose: on a
   * loaded machine a cold JVM's first call takes seconds, and a registry that is there but slow
   * must not be taken for none; where nothing listens the call fails at once anyway.
   */
  private static final Duration PROBE_TIMEOUT = RegistryLauncher.START_TIMEOUT;
  private static final Duration RETRY_PROBE_TIMEOUT = Duration.ofSeconds(1);

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
      // the state dir's lock speaks for the registry registry.json names, not for a fixed address
      if (connection.probe(PROBE_TIMEOUT) || (!locator.isFixed() && awaitLockHolder(connection))) {
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

  /**
   * After a failed probe: while a registry holds the state dir's lifetime lock, it is there,
   * only slow (a loaded machine, a cold JVM on either side, registry.json not written yet), so
   * probe it again until it answers, bounded. False at once when no registry holds the lock.
   */
  private static boolean awaitLockHolder(RegistryConnection connection) {
    StateDir dir = StateDir.of(connection.locator().stateDir());
    long deadline = System.nanoTime() + RegistryAutoStarter.START_TIMEOUT.toNanos();
    while (dir.registryRunning()) {
      if (System.nanoTime() > deadline) {
        throw new BerthException(Status.DEADLINE_EXCEEDED.withDescription("a registry holds "
            + dir.file(StateDir.LIFETIME_LOCK) + " but did not answer " + connection.describe()
            + " within " + RegistryAutoStarter.START_TIMEOUT.toSeconds() + "s; see "
            + dir.file(StateDir.LOG)));
      }
      if (connection.probe(RETRY_PROBE_TIMEOUT)) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BerthException(Status.CANCELLED.withDescription("interrupted while waiting for the registry"), e);
      }
    }
    return false;
  }
}
