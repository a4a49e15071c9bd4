package dev.berth.client.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one {@code Berth} handed out and must close with it (servers, claims, leases,
 * watches), closed newest first.
 *
 * <p>Thread-safe: guarded by {@code this}; closing happens outside the lock.
 */
public final class Tracker {
  private final Set<AutoCloseable> open = new LinkedHashSet<>();
  private boolean closed;

  /** Tracks {@code resource}; false (and nothing tracked) if the tracker is closed already. */
  public synchronized boolean add(AutoCloseable resource) {
    if (closed) {
      return false;
    }
    open.add(resource);
    return true;
  }

  public synchronized void remove(AutoCloseable resource) {
    open.remove(resource);
  }

  /** Closes everything tracked, newest first, and refuses new resources. Idempotent. */
  public void closeAll() {
    List<AutoCloseable> toClose;
    synchronized (this) {
      closed = true;
      toClose = new ArrayList<>(open);
      open.clear();
    }
    PortBinding.closeAll(toClose, null);
  }
}
