package dev.berth.spring.boot.internal;

import dev.berth.client.Berth;
import dev.berth.client.Lease;
import dev.berth.client.internal.MetricsHttp;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This application's instance on Berth: one lease of its service holding every endpoint its
 * servers listen on ({@code http}, {@code management}, {@code grpc}, as the auto-configurations
 * contribute them with {@link EndpointSpec} beans), plus {@code metrics} when the application
 * records into Prometheus.
 *
 * <p>The lease is attached the first time a server asks for its port ({@link #port}), while the
 * context refreshes: ports reserved, not yet visible. Each server reports the port it really
 * listens on ({@link #listening}) after Boot starts it; when every endpoint listens, the
 * {@code metrics} endpoint is bound and the lease is made ready (the registry checks that this
 * process holds each port), and only then can anyone resolve it. {@link #close} ends it.
 *
 * <p>Thread-safe: one lock guards the lease and what has started.
 */
public final class AppInstance implements AutoCloseable {
  /** Long enough for a slow context refresh between attach and ready; the registry's default is 30 s. */
  private static final Duration RESERVATION = Duration.ofMinutes(3);

  private final Berth berth;
  private final String service;
  private final List<String> endpoints;
  private final PrometheusMeterRegistry prometheus;
  private final Map<String, Integer> listening = new HashMap<>();
  private Lease lease; // guarded by this
  private AutoCloseable metricsServer; // guarded by this
  private boolean ready; // guarded by this
  private boolean closed; // guarded by this

  /** An endpoint this application's lease has: contributed as a bean by the configuration that serves it. */
  public record EndpointSpec(String name) {}

  public AppInstance(Berth berth, String service, List<String> endpoints, PrometheusMeterRegistry prometheus) {
    this.berth = berth;
    this.service = service;
    this.endpoints = List.copyOf(endpoints);
    this.prometheus = prometheus;
  }

  /** The service this instance registers as; null if none is configured (fine for a caller that serves nothing). */
  public String service() {
    return service;
  }

  /** The endpoints the lease asks for, in order, not counting {@code metrics}. */
  public List<String> endpoints() {
    return endpoints;
  }

  /** Whether the lease has {@code endpoint}. */
  public boolean has(String endpoint) {
    return endpoints.contains(endpoint);
  }

  /** The port Berth assigned to {@code endpoint}; attaches the lease on first use. */
  public synchronized int port(String endpoint) {
    if (!has(endpoint)) {
      throw new IllegalArgumentException("endpoint: '" + endpoint + "' (expected one of " + endpoints + ")");
    }
    return attach().port(endpoint);
  }

  /**
   * A server of {@code endpoint} listens on {@code port}: once every endpoint does, the
   * instance goes live. Throws if that is not the port Berth assigned (something set the
   * server's port after Berth did).
   */
  public synchronized void listening(String endpoint, int port) {
    if (closed || !has(endpoint)) {
      return;
    }
    int assigned = port(endpoint);
    if (port != assigned) {
      throw new IllegalStateException(service + "/" + endpoint + ": listens on port " + port
          + " (expected: " + assigned + ", the port Berth assigned; does something else set its port?)");
    }
    listening.put(endpoint, port);
    if (!ready && listening.keySet().containsAll(endpoints)) {
      if (prometheus != null) {
        try {
          metricsServer = MetricsHttp.binder(prometheus).bind(lease.address(MetricsHttp.ENDPOINT));
        } catch (IOException e) {
          throw new UncheckedIOException(service + "/metrics: cannot listen on " + lease.address(MetricsHttp.ENDPOINT), e);
        }
      }
      lease.ready();
      ready = true;
    }
  }

  /**
   * The application is ready: throws if an endpoint's server never said it listens (the lease
   * would stay reserved, invisible, until its reservation silently ran out). Nothing to do for
   * an application with no endpoint (a caller that serves nothing).
   */
  public synchronized void checkListening() {
    if (closed || ready || endpoints.isEmpty()) {
      return;
    }
    List<String> missing = endpoints.stream().filter(e -> !listening.containsKey(e)).toList();
    throw new IllegalStateException(service + ": endpoints " + missing
        + " never listened (expected: a server for each; is one of them off, or not started by Spring?)");
  }

  /** Whether the instance is live (every endpoint listening, the registry told). */
  public synchronized boolean isReady() {
    return ready;
  }

  /** Ends the lease (the instance disappears from resolvers at once), then stops {@code metrics}. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (lease != null) {
      lease.close();
    }
    if (metricsServer != null) {
      try {
        metricsServer.close();
      } catch (Exception e) {
        // stopping a loopback HTTP server: nothing left to do about it
      }
    }
  }

  private Lease attach() {
    if (closed) {
      throw new IllegalStateException(service + ": the application context is closing");
    }
    if (lease == null) {
      if (service == null || service.isBlank()) {
        throw new IllegalStateException("spring.application.name: not set (expected: the name this "
            + "application runs as on Berth, a DNS label such as 'orders'; or set berth.service)");
      }
      Lease.Builder builder = berth.lease(service).reservation(RESERVATION);
      endpoints.forEach(builder::endpoint);
      if (prometheus != null) {
        builder.endpoint(MetricsHttp.ENDPOINT);
      }
      lease = builder.attach();
    }
    return lease;
  }
}
