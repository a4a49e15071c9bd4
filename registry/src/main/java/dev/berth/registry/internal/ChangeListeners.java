package dev.berth.registry.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The change listeners of one of the registry's tables ({@link LeaseTable}, {@link ConflictLog}),
 * run after each change, for the dashboard's coalesced {@code state} event.
 *
 * <p>{@link #changed} runs them in the order added, on the thread that made the change (a gRPC
 * transport thread, a timer), which must no longer hold the table's lock: a listener may read the
 * table, and one that waited for the lock would deadlock the writer. What one throws is logged,
 * never passed to the change's caller, and the others still run. Thread-safe: listeners may be
 * added while changes run.
 */
final class ChangeListeners {

  private final Object table;
  private final String what;
  private final System.Logger log;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** For {@code table}, whose monitor is its lock, called {@code what} in the log. */
  ChangeListeners(Object table, String what) {
    this.table = table;
    this.what = what;
    this.log = System.getLogger(table.getClass().getName());
  }

  /** Runs {@code listener} after every later change; it must be quick and must not block. */
  void add(Runnable listener) {
    listeners.add(listener);
  }

  /** Runs every listener; called after a change, outside the table's lock. */
  void changed() {
    assert !Thread.holdsLock(table) : "listeners of the " + what + " run outside its lock";
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.log(System.Logger.Level.WARNING, "a " + what + " listener failed", e);
      }
    }
  }
}
