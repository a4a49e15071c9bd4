package dev.berth.registry.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * What the gRPC handlers share: built once by {@link RegistryServer}. Immutable. Lease
 * deadlines run on {@code timer} and read the time from {@code ticker} (nanoseconds, as
 * {@code System::nanoTime}); tests pass a fake clock's pair.
 */
record RegistryParts(
    LeaseTable table,
    StickyPorts sticky,
    WatchHub hub,
    RegistryMetrics metrics,
    ConflictReporter conflicts,
    ConflictLog conflictLog,
    PortHolders holders,
    PortPool pool,
    ScheduledExecutorService timer,
    LongSupplier ticker,
    Duration reservationTimeout,
    Duration registerTimeout) {}
