package dev.berth.registry.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/** What the gRPC handlers share: built once by {@link RegistryServer}. Immutable. */
record RegistryParts(
    LeaseTable table,
    StickyPorts sticky,
    WatchHub hub,
    RegistryMetrics metrics,
    ConflictReporter conflicts,
    ConflictLog conflictLog,
    PortHolders holders,
    ScheduledExecutorService timer,
    Duration reservationTimeout,
    Duration registerTimeout) {}
