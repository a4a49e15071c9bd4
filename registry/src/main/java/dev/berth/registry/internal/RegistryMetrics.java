package dev.berth.registry.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.IntSupplier;

/**
 * The registry's meters, on the caller's {@link MeterRegistry} (never a global one).
 * Thread-safe. Tag values are bounded: service names and fixed words, never a port or pid.
 */
final class RegistryMetrics implements AutoCloseable {

  static final String CONFLICTS = "berth.port.conflicts";
  static final String INSTANCES = "berth.registry.instances";
  static final String RESOLVE = "berth.registry.resolve.duration";
  static final String LEASES_ENDED = "berth.registry.leases.ended";

  /** Why a port could not be used; the {@code cause} tag of {@code berth.port.conflicts}. */
  enum Cause {
    IN_USE, RESERVED, REQUESTED_TAKEN, BIND_FAILED;

    String tag() {
      return name().toLowerCase();
    }
  }

  /** How a lease ended; the {@code reason} tag of {@code berth.registry.leases.ended}. */
  enum EndReason {
    CLOSED, BROKEN, EXPIRED;

    String tag() {
      return name().toLowerCase();
    }
  }

  private final MeterRegistry registry;
  private final Gauge instances;
  private final Timer resolve;

  RegistryMetrics(MeterRegistry registry, IntSupplier liveInstances) {
    this.registry = registry;
    this.instances = Gauge.builder(INSTANCES, liveInstances, s -> s.getAsInt())
        .description("Live (ready) instances")
        // Micrometer holds gauge state weakly; nothing else holds this lambda
        .strongReference(true)
        .register(registry);
    this.resolve = Timer.builder(RESOLVE)
        .description("Time to answer a Resolve")
        .register(registry);
    // registered up front so that a dashboard shows 0 rather than nothing
    for (EndReason reason : EndReason.values()) {
      leasesEnded(reason);
    }
  }

  Timer resolveTimer() {
    return resolve;
  }

  void conflict(String service, Cause cause) {
    Counter.builder(CONFLICTS)
        .description("Ports that could not be used because someone else held them")
        .tag("service", service)
        .tag("side", "registry")
        .tag("cause", cause.tag())
        .register(registry)
        .increment();
  }

  void leaseEnded(EndReason reason) {
    leasesEnded(reason).increment();
  }

  private Counter leasesEnded(EndReason reason) {
    return Counter.builder(LEASES_ENDED)
        .description("Leases that ended, by how")
        .tag("reason", reason.tag())
        .register(registry);
  }

  /** Removes the gauge: it reads this registry's table, which is gone after close. */
  @Override
  public void close() {
    registry.remove(instances);
  }
}
