package dev.berth.registry.internal;

import dev.berth.proto.v1.Snapshot;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends full snapshots to the watchers of each (service, endpoint). Thread-safe.
 *
 * <p>A watcher watches from a namespace ("" the default) and sees that namespace's instances
 * when it has any, else the default namespace's ({@link LeaseTable#snapshot(String, String,
 * String)}). So a change in namespace N reaches N's watchers only, and a change in the default
 * namespace reaches the default's watchers and those of every other namespace that has no
 * instance of its own there (their snapshot is the default's). Watchers are kept by (service,
 * endpoint), then by namespace, so that costs one snapshot per watched namespace, and nothing
 * for a registry without namespaces beyond what it cost before.
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

  /** The current snapshot of (service, endpoint) as seen from a namespace. */
  @FunctionalInterface
  interface Snapshots {
    Snapshot of(String namespace, String service, String endpoint);
  }

  private record Key(String service, String endpoint) {}

  private final Snapshots snapshots;
  // by (service, endpoint), then by the namespace watched from; an inner map is changed only
  // inside the outer map's compute for its key, so adds and removes of one key never race
  private final Map<Key, Map<String, Set<Watcher>>> watchers = new ConcurrentHashMap<>();
  private volatile Status closedWith;

  /** @param snapshots the current snapshot of (service, endpoint) seen from a namespace */
  WatchHub(Snapshots snapshots) {
    this.snapshots = snapshots;
  }

  /**
   * Starts a watch of (service, endpoint) from {@code namespace} ("" the default): called from
   * the Watch handler, before it returns.
   */
  void watch(String namespace, String service, String endpoint,
      ServerCallStreamObserver<Snapshot> observer) {
    Key key = new Key(service, endpoint);
    Watcher watcher = new Watcher(observer);
    observer.setOnCancelHandler(() -> remove(key, namespace, watcher));
    observer.setOnReadyHandler(watcher::drain);
    // added inside the map's own operation: adding to a set fetched first could race with the
    // last watcher's cancel removing that set from the map, leaving this watch deaf for good
    watchers.compute(key, (k, byNamespace) -> {
      Map<String, Set<Watcher>> m = byNamespace != null ? byNamespace : new ConcurrentHashMap<>();
      m.computeIfAbsent(namespace, n -> ConcurrentHashMap.newKeySet()).add(watcher);
      return m;
    });
    Status closed = closedWith;
    if (closed != null) {
      remove(key, namespace, watcher);
      watcher.fail(closed);
      return;
    }
    // registered before the first snapshot is taken: a change in between reaches the watcher
    // too, and the version check drops whichever of the two is older
    watcher.offer(snapshots.of(namespace, service, endpoint));
  }

  /**
   * Tells the watchers of the given endpoints of {@code service} the current snapshot after
   * a change in {@code namespace}: that namespace's watchers, and for a change in the default
   * namespace also the watchers of every namespace that has no instance of its own.
   */
  void publish(String namespace, String service, Collection<String> endpoints) {
    for (String endpoint : endpoints) {
      Map<String, Set<Watcher>> byNamespace = watchers.get(new Key(service, endpoint));
      if (byNamespace == null) {
        continue;
      }
      if (!namespace.isEmpty()) {
        offer(byNamespace.get(namespace), namespace, service, endpoint, false);
        continue;
      }
      for (Map.Entry<String, Set<Watcher>> e : byNamespace.entrySet()) {
        offer(e.getValue(), e.getKey(), service, endpoint, !e.getKey().isEmpty());
      }
    }
  }

  /**
   * Offers {@code set} the snapshot seen from {@code namespace}; with {@code onlyIfFallback},
   * not when that namespace has instances of its own. Skipping then is safe: the snapshot is
   * taken after the change, so the namespace had instances after it, and the removal of the
   * last of them publishes to this set itself.
   */
  private void offer(Set<Watcher> set, String namespace, String service, String endpoint,
      boolean onlyIfFallback) {
    if (set == null || set.isEmpty()) {
      return;
    }
    Snapshot snapshot = snapshots.of(namespace, service, endpoint);
    if (onlyIfFallback && snapshot.getTargetsCount() > 0
        && snapshot.getNamespace().equals(namespace)) {
      return; // its own instances hide the default namespace's: nothing changed for it
    }
    for (Watcher w : set) {
      w.offer(snapshot);
    }
  }

  int watcherCount() {
    int n = 0;
    for (Map<String, Set<Watcher>> byNamespace : watchers.values()) {
      for (Set<Watcher> set : byNamespace.values()) {
        n += set.size();
      }
    }
    return n;
  }

  /** Ends every watch with {@code status}; later watches end at once. */
  void close(Status status) {
    closedWith = status;
    for (Map.Entry<Key, Map<String, Set<Watcher>>> e : watchers.entrySet()) {
      for (Map.Entry<String, Set<Watcher>> n : e.getValue().entrySet()) {
        for (Watcher w : n.getValue()) {
          remove(e.getKey(), n.getKey(), w);
          w.fail(status);
        }
      }
    }
  }

  private void remove(Key key, String namespace, Watcher watcher) {
    watchers.computeIfPresent(key, (k, byNamespace) -> {
      byNamespace.computeIfPresent(namespace, (n, set) -> {
        set.remove(watcher);
        return set.isEmpty() ? null : set;
      });
      return byNamespace.isEmpty() ? null : byNamespace;
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
