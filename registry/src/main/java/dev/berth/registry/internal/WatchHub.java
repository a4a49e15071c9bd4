package dev.berth.registry.internal;

import dev.berth.proto.v1.Snapshot;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Sends full snapshots to the watchers of each (service, endpoint). Thread-safe.
 *
 * <p>Each watcher keeps at most one pending snapshot, the newest: a watcher that reads slowly
 * (its transport not ready) skips the snapshots it had no time for and receives the latest
 * as soon as it is ready again. So one stuck watcher costs one snapshot of memory, and never
 * holds up the others, the lease table or the thread that made the change. Calls to one
 * watcher's {@code onNext}/{@code onError} never overlap: whoever finds the watcher idle
 * drains it.
 */
final class WatchHub {

  private static final System.Logger LOG = System.getLogger(WatchHub.class.getName());

  private record Key(String service, String endpoint) {}

  private final BiFunction<String, String, Snapshot> snapshots;
  private final Map<Key, Set<Watcher>> watchers = new ConcurrentHashMap<>();
  private volatile Status closedWith;

  /** @param snapshots the current snapshot of (service, endpoint) */
  WatchHub(BiFunction<String, String, Snapshot> snapshots) {
    this.snapshots = snapshots;
  }

  /** Starts a watch: called from the Watch handler, before it returns. */
  void watch(String service, String endpoint, ServerCallStreamObserver<Snapshot> observer) {
    Key key = new Key(service, endpoint);
    Watcher watcher = new Watcher(observer);
    observer.setOnCancelHandler(() -> remove(key, watcher));
    observer.setOnReadyHandler(watcher::drain);
    // added inside the map's own operation: adding to a set fetched first could race with the
    // last watcher's cancel removing that set from the map, leaving this watch deaf for good
    watchers.compute(key, (k, set) -> {
      Set<Watcher> s = set != null ? set : ConcurrentHashMap.newKeySet();
      s.add(watcher);
      return s;
    });
    Status closed = closedWith;
    if (closed != null) {
      remove(key, watcher);
      watcher.fail(closed);
      return;
    }
    // registered before the first snapshot is taken: a change in between reaches the watcher
    // too, and the version check drops whichever of the two is older
    watcher.offer(snapshots.apply(service, endpoint));
  }

  /** Tells the watchers of the given endpoints of {@code service} the current snapshot. */
  void publish(String service, Collection<String> endpoints) {
    for (String endpoint : endpoints) {
      Set<Watcher> set = watchers.get(new Key(service, endpoint));
      if (set != null && !set.isEmpty()) {
        Snapshot snapshot = snapshots.apply(service, endpoint);
        for (Watcher w : set) {
          w.offer(snapshot);
        }
      }
    }
  }

  int watcherCount() {
    return watchers.values().stream().mapToInt(Set::size).sum();
  }

  /** Ends every watch with {@code status}; later watches end at once. */
  void close(Status status) {
    closedWith = status;
    for (Map.Entry<Key, Set<Watcher>> e : watchers.entrySet()) {
      for (Watcher w : e.getValue()) {
        remove(e.getKey(), w);
        w.fail(status);
      }
    }
  }

  private void remove(Key key, Watcher watcher) {
    watchers.computeIfPresent(key, (k, set) -> {
      set.remove(watcher);
      return set.isEmpty() ? null : set;
    });
  }

  /** One Watch stream. Its fields are guarded by its own monitor. */
  private static final class Watcher {
    private final ServerCallStreamObserver<Snapshot> observer;
    private Snapshot pending;
    private Status failure;
    private long sentVersion = -1;
    private boolean draining;
    private boolean done;

    Watcher(ServerCallStreamObserver<Snapshot> observer) {
      this.observer = observer;
    }

    void offer(Snapshot snapshot) {
      synchronized (this) {
        if (done || snapshot.getVersion() <= sentVersion
            || (pending != null && snapshot.getVersion() <= pending.getVersion())) {
          return;
        }
        pending = snapshot;
      }
      drain();
    }

    void fail(Status status) {
      synchronized (this) {
        if (done) {
          return;
        }
        failure = status;
        pending = null;
      }
      drain();
    }

    /** Sends what is pending while the transport is ready; only one thread at a time gets here. */
    void drain() {
      while (true) {
        Snapshot next;
        Status fail;
        synchronized (this) {
          if (draining || done) {
            return;
          }
          fail = failure;
          next = pending;
          if (fail == null && (next == null || !observer.isReady())) {
            return; // nothing to send, or the onReady handler will call again
          }
          draining = true;
          pending = null;
          if (fail != null) {
            done = true;
          } else {
            sentVersion = next.getVersion();
          }
        }
        try {
          if (fail != null) {
            observer.onError(fail.asRuntimeException());
            return;
          }
          observer.onNext(next);
        } catch (RuntimeException e) {
          // the call was cancelled under us; the cancel handler removes the watcher
          LOG.log(Level.DEBUG, "watch stream ended while sending: {0}", e.toString());
          synchronized (this) {
            done = true;
          }
          return;
        } finally {
          synchronized (this) {
            draining = false;
          }
        }
      }
    }
  }
}
