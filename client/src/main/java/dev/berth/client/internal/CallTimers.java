package dev.berth.client.internal;

import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The call-duration timers of one service on one side ({@code berth.client.call.duration} or
 * {@code berth.server.call.duration}), tagged {@code service}, {@code method} (the full gRPC
 * method name) and {@code status} (the status code name), and on the client side
 * {@code caller} (the calling service's name, a DNS label, or {@code unknown}); all bounded.
 *
 * <p>Thread-safe: timers are cached in a concurrent map.
 */
final class CallTimers {
  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final String service;
  private final Supplier<String> caller; // null: no caller tag (the server side)
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

  CallTimers(MeterRegistry registry, String name, String description, String service,
      Supplier<String> caller) {
    this.registry = registry;
    this.caller = caller;
    this.name = name;
    this.description = description;
    this.service = service;
  }

  long now() {
    return registry.config().clock().monotonicTime();
  }

  void record(String method, Status.Code code, long startNanos) {
    long nanos = now() - startNanos;
    String from = caller != null ? caller.get() : null;
    timers.computeIfAbsent(method + ' ' + code + ' ' + from, key -> tagCaller(Timer.builder(name), from)
            .description(description)
            .tag("service", service)
            .tag("method", method)
            .tag("status", code.name())
            .publishPercentileHistogram()
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private static Timer.Builder tagCaller(Timer.Builder timer, String caller) {
    return caller != null ? timer.tag("caller", caller) : timer;
  }
}
