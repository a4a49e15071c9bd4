package dev.berth.registry.internal;

import dev.berth.local.PortProbe;
import dev.berth.testing.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The registry's parts without its server: a real table over a test pool, time from a fake clock. */
final class TestParts {

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final RegistryParts parts;

  TestParts(Path dir, PortPool pool, PortCheck probe, FakeClock clock, Duration registerTimeout,
      Duration reservationTimeout) throws IOException {
    StickyPorts sticky = StickyPorts.load(dir.resolve("berths.json"), Clock.systemUTC());
    PortAllocator allocator = new PortAllocator(pool, probe, sticky, () -> -1);
    LeaseTable table = new LeaseTable(allocator, probe, 100, Clock.systemUTC());
    RegistryMetrics metrics = new RegistryMetrics(meters, table::liveCount);
    PortHolders holders = PortHolders.system();
    ConflictLog log = new ConflictLog(Clock.systemUTC());
    parts = new RegistryParts(table, sticky, new WatchHub(table::snapshot), metrics,
        new ConflictReporter(metrics, holders, log), log, holders, pool, clock.scheduler(),
        clock.ticker(), reservationTimeout, registerTimeout);
  }

  TestParts(Path dir, PortPool pool, FakeClock clock, Duration registerTimeout,
      Duration reservationTimeout) throws IOException {
    this(dir, pool, PortCheck.of(new PortProbe()), clock, registerTimeout, reservationTimeout);
  }

  ListenCheck listenCheck() {
    return new ListenCheck(new PortProbe(), parts.holders());
  }
}
