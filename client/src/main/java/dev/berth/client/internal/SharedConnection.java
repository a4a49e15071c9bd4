package dev.berth.client.internal;

import dev.berth.local.StateDir;
import java.util.concurrent.ForkJoinPool;

/**
 * The registry connection shared by channels made with plain
 * {@code ManagedChannelBuilder.forTarget("berth:///x")}: found by the default discovery
 * rule, created on first use, closed when the last resolver lets go of it.
 *
 * <p>Thread-safe: the connection and its reference count are guarded by the class.
 */
public final class SharedConnection implements ConnectionSource {
  /** The one instance. */
  public static final SharedConnection INSTANCE = new SharedConnection();

  private RegistryConnection connection;
  private int references;

  private SharedConnection() {}

  @Override
  public synchronized RegistryConnection acquire() {
    if (connection == null) {
      // no I/O here: discovery happens on the first call, off the caller's thread
      connection = new RegistryConnection(RegistryLocator.of(StateDir.defaultPath(), null), null);
    }
    references++;
    return connection;
  }

  @Override
  public synchronized void release(RegistryConnection released) {
    if (released != connection || --references > 0) {
      return;
    }
    RegistryConnection closing = connection;
    connection = null;
    // closing waits (bounded) for the channel: never on a resolver's SynchronizationContext
    ForkJoinPool.commonPool().execute(closing::close);
  }
}
