package dev.berth.registry.internal;

import com.google.protobuf.Timestamp;
import dev.berth.proto.v1.StickyBerth;
import dev.berth.proto.v1.StickyBerths;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The remembered ports (sticky berths) of each (namespace, service, endpoint), persisted in
 * {@code berths.json}: two stacks that both run "orders" remember their ports apart.
 * Thread-safe: the map is guarded by this object's monitor; writes of the file are serialized
 * by a separate lock so that slow disk I/O never holds up a reader.
 *
 * <p>A port is remembered for at most one (namespace, service, endpoint). The first instance of
 * a service gets {@code ports[0]} when it is free, the second {@code ports[1]}, and so on: the
 * list grows when more instances run at once than it has entries.
 */
final class StickyPorts {

  private static final System.Logger LOG = System.getLogger(StickyPorts.class.getName());

  private record Key(String namespace, String service, String endpoint) {
    /** {@code orders/main}, or {@code orders/main in namespace shop}, for WhoHas and logs. */
    @Override
    public String toString() {
      return service + "/" + endpoint + LeaseEntry.inNamespace(namespace);
    }
  }

  private static final class Entry {
    final List<Integer> ports = new ArrayList<>();
    Instant lastUsed;
    Instant savedLastUsed; // lastUsed as in the file
  }

  // last_used is informational: refreshed on disk at most this often when no port changes
  private static final Duration LAST_USED_GRAIN = Duration.ofHours(1);

  private final Path file;
  private final Clock clock;
  private final Object writeLock = new Object();
  // guarded by this
  private final Map<Key, Entry> entries = new LinkedHashMap<>();
  private final Map<Integer, Key> owners = new HashMap<>();
  private boolean dirty; // the map differs from the file

  private StickyPorts(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /**
   * Reads {@code file} if it exists, as {@link BerthsFile#read} does: what cannot be used is
   * set aside, and the cleaned map written back at once.
   */
  static StickyPorts load(Path file, Clock clock) throws IOException {
    StickyPorts sticky = new StickyPorts(file, clock);
    BerthsFile.Read read = BerthsFile.read(file, clock);
    synchronized (sticky) {
      for (StickyBerth b : read.berths()) {
        // a file from before namespaces has no namespace field: the default namespace
        Key key = new Key(b.getNamespace(), b.getService(), b.getEndpoint());
        for (int port : b.getPortsList()) {
          sticky.add(key, port);
        }
        Entry entry = sticky.entries.get(key);
        if (entry != null && b.hasLastUsed()) {
          entry.lastUsed = Instant.ofEpochSecond(b.getLastUsed().getSeconds(), b.getLastUsed().getNanos());
          entry.savedLastUsed = entry.lastUsed;
        }
      }
      // the file holds exactly this, unless entries were dropped: then the next save cleans it
      sticky.dirty = read.dropped() > 0;
    }
    if (read.dropped() > 0) {
      // write the cleaned map now: a registry restarted before any instance is ready would
      // otherwise find the same bad entries and keep another copy every time
      try {
        sticky.persistIfChanged();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "{0}: cannot write the cleaned berths yet: {1}", file, e.getMessage());
      }
    }
    return sticky;
  }

  /** The remembered ports of (service, endpoint) in the default namespace. */
  List<Integer> portsFor(String service, String endpoint) {
    return portsFor("", service, endpoint);
  }

  /** The remembered ports of (namespace, service, endpoint), first choice first. */
  synchronized List<Integer> portsFor(String namespace, String service, String endpoint) {
    Entry entry = entries.get(new Key(namespace, service, endpoint));
    return entry == null ? List.of() : List.copyOf(entry.ports);
  }

  synchronized boolean isRemembered(int port) {
    return owners.containsKey(port);
  }

  /**
   * {@code "service/endpoint"} the port is remembered for, if any, followed by
   * {@code " in namespace NS"} when that is not the default namespace.
   */
  synchronized Optional<String> rememberedFor(int port) {
    return Optional.ofNullable(owners.get(port)).map(Key::toString);
  }

  /** {@link #remember(String, String, String, int)} in the default namespace. */
  void remember(String service, String endpoint, int port) {
    remember("", service, endpoint, port);
  }

  /**
   * Remembers that (namespace, service, endpoint) served on {@code port}; a port remembered
   * for another (namespace, service, endpoint) moves here, since this is where it is actually
   * used now.
   */
  synchronized void remember(String namespace, String service, String endpoint, int port) {
    Key key = new Key(namespace, service, endpoint);
    Key previous = owners.get(port);
    if (previous != null && !previous.equals(key)) {
      Entry old = entries.get(previous);
      old.ports.remove(Integer.valueOf(port));
      if (old.ports.isEmpty()) {
        entries.remove(previous);
      }
      owners.remove(port);
      dirty = true;
    }
    add(key, port);
    Entry entry = entries.get(key);
    entry.lastUsed = clock.instant();
    if (entry.savedLastUsed == null
        || Duration.between(entry.savedLastUsed, entry.lastUsed).compareTo(LAST_USED_GRAIN) > 0) {
      dirty = true;
    }
  }

  /** Writes the map to {@code berths.json} atomically. */
  void persist() throws IOException {
    synchronized (writeLock) {
      StickyBerths snapshot;
      synchronized (this) {
        snapshot = snapshotForWrite();
      }
      write(snapshot);
    }
  }

  /**
   * Writes the map to {@code berths.json} atomically if it changed since the file was last
   * written (a port added or moved; {@code last_used} only when an hour stale). When this
   * returns, every port remembered before the call is on disk, whoever wrote it.
   *
   * @return whether this call wrote the file
   */
  boolean persistIfChanged() throws IOException {
    // the check and the snapshot happen inside the write lock: a caller that finds nothing
    // to do waits first for a write in progress, which may be the one carrying its port
    synchronized (writeLock) {
      StickyBerths snapshot;
      synchronized (this) {
        if (!dirty) {
          return false;
        }
        snapshot = snapshotForWrite();
      }
      write(snapshot);
      return true;
    }
  }

  /** Guarded by this; the caller holds writeLock and writes the result. */
  private StickyBerths snapshotForWrite() {
    StickyBerths snapshot = toProto();
    dirty = false;
    for (Entry entry : entries.values()) {
      entry.savedLastUsed = entry.lastUsed;
    }
    return snapshot;
  }

  /** Guarded by writeLock. */
  private void write(StickyBerths snapshot) throws IOException {
    try {
      BerthsFile.write(file, snapshot);
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        dirty = true; // the next caller tries again
      }
      throw e;
    }
  }

  /**
   * Every remembered berth, ordered by namespace ("" first), service, then endpoint, with
   * {@code ports} in the order instances get them: the {@code Berths} RPC's answer.
   */
  List<StickyBerth> sorted() {
    List<StickyBerth> berths = new ArrayList<>(toProto().getBerthsList());
    berths.sort(Comparator.comparing(StickyBerth::getNamespace)
        .thenComparing(StickyBerth::getService)
        .thenComparing(StickyBerth::getEndpoint));
    return berths;
  }

  synchronized StickyBerths toProto() {
    StickyBerths.Builder out = StickyBerths.newBuilder();
    entries.forEach((key, entry) -> {
      StickyBerth.Builder b = out.addBerthsBuilder()
          .setNamespace(key.namespace())
          .setService(key.service())
          .setEndpoint(key.endpoint())
          .addAllPorts(entry.ports);
      if (entry.lastUsed != null) {
        b.setLastUsed(Timestamp.newBuilder()
            .setSeconds(entry.lastUsed.getEpochSecond())
            .setNanos(entry.lastUsed.getNano()));
      }
    });
    return out.build();
  }

  private void add(Key key, int port) {
    if (owners.containsKey(port)) {
      return; // already remembered (for this key: remember() moved it otherwise)
    }
    entries.computeIfAbsent(key, k -> new Entry()).ports.add(port);
    owners.put(port, key);
    dirty = true;
  }
}
