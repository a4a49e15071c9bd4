package dev.berth.registry.internal;

import com.google.protobuf.Timestamp;
import dev.berth.proto.v1.PortConflict;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last {@link #CAPACITY} port conflicts, for the {@code Conflicts} RPC and
 * {@code berth conflicts} and the dashboard. Thread-safe: guarded by this object's monitor;
 * listeners ({@link #onChange}) run after each addition, outside it.
 */
final class ConflictLog {

  static final int CAPACITY = 50;

  private final Clock clock;
  private final Deque<PortConflict> entries = new ArrayDeque<>(); // guarded by this
  private final ChangeListeners listeners = new ChangeListeners(this, "conflict log");

  ConflictLog(Clock clock) {
    this.clock = clock;
  }

  /**
   * Records a conflict now; {@code namespace} is the asking service's ("" the default);
   * {@code holder} fields may be 0 / empty when unknown.
   */
  void add(String namespace, String service, String endpoint, int port, RegistryMetrics.Cause cause,
      long holderPid, String holderCommandLine, String holderInstanceId) {
    Instant now = clock.instant();
    PortConflict entry = PortConflict.newBuilder()
        .setTime(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setService(service)
        .setEndpoint(endpoint)
        .setPort(port)
        .setCause(cause.tag())
        .setHolderPid(holderPid)
        .setHolderCommandLine(holderCommandLine)
        .setHolderInstanceId(holderInstanceId)
        .setNamespace(namespace)
        .build();
    synchronized (this) {
      if (entries.size() == CAPACITY) {
        entries.removeFirst();
      }
      entries.addLast(entry);
    }
    listeners.changed();
  }

  /**
   * Runs {@code listener} after every conflict recorded, on the thread that recorded it, after
   * this log's lock is released: it must be quick and must not block. What it throws is
   * logged, never passed to the recorder.
   */
  void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** Oldest first. */
  synchronized List<PortConflict> recent() {
    return new ArrayList<>(entries);
  }
}
