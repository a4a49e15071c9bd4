package dev.berth.client.internal;

import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The call-duration timers of one service on one side ({@code berth.client.call.duration} or
 * {@code berth.server.call.duration}), tagged {@code service}, {@code method} (the full gRPC
 * method name) and {@code status} (the status code name); all bounded values.
 *
 * <p>Thread-safe: timers are cached in a concurrent map.
 */
final class CallTimers {
  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final String service;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

  CallTimers(MeterRegistry registry, String name, String description, String service) {
    this.registry = registry;
    this.name = name;
    this.description = description;
    this.service = service;
  }

  long now() {
    return registry.config().clock().monotonicTime();
  }

  void record(String method, Status.Code code, long startNanos) {
    long nanos = now() - startNanos;
    timers.computeIfAbsent(method + ' ' + code, key -> Timer.builder(name)
            .description(description)
            .tag("service", service)
            .tag("method", method)
            .tag("status", code.name())
            .publishPercentileHistogram()
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }
}
