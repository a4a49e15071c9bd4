package dev.berth.client;

import dev.berth.client.internal.LeaseHandshake;
import dev.berth.client.internal.PortBinding;
import dev.berth.client.internal.Tracker;
import dev.berth.client.internal.MetricsHttp;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ports bound under a lease: for anything that is not a gRPC server (an HTTP server, a
 * metrics endpoint). Each endpoint's {@link PortBinder} binds its assigned port, with a new
 * port on a conflict; then the instance becomes visible. Closing ends the lease first (so
 * callers stop coming), then closes what the binders returned, newest first.
 *
 * <pre>{@code
 * Claim claim = berth.claim("gateway/http", address -> {
 *   HttpServer http = HttpServer.create(address.inetSocketAddress(), 0);
 *   http.start();
 *   return () -> http.stop(0);
 * });
 * claim.address();   // where the HTTP server listens: 127.0.0.1:61002
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Claim implements AutoCloseable {
  private final Lease lease;
  private final List<AutoCloseable> resources;
  private final Tracker tracker;
  private boolean closed;

  private Claim(Lease lease, List<AutoCloseable> resources, Tracker tracker) {
    this.lease = lease;
    this.resources = resources;
    this.tracker = tracker;
  }

  /** The service claimed for. */
  public String service() {
    return lease.service();
  }

  /** The address of {@code main}, or of the only endpoint. */
  public Address address() {
    return lease.address();
  }

  /** The address of {@code endpoint}; {@link IllegalArgumentException} if there is none. */
  public Address address(String endpoint) {
    return lease.address(endpoint);
  }

  /** Endpoint name to bound address, in the order the endpoints were added. */
  public Map<String, Address> addresses() {
    return lease.addresses();
  }

  /** {@code address().port()}. */
  public int port() {
    return lease.port();
  }

  /** {@code address(endpoint).port()}. */
  public int port(String endpoint) {
    return lease.port(endpoint);
  }

  /** The lease underneath. */
  public Lease lease() {
    return lease;
  }

  /** Ends the lease, then closes what was bound. Idempotent; as bounded as the binders' closers. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    lease.close();
    PortBinding.closeAll(resources, null);
    tracker.remove(this);
  }

  @Override
  public String toString() {
    return "Claim{" + service() + " " + addresses() + "}";
  }

  /** Describes the endpoints to bind. Not thread-safe; use from one thread, then {@link #bind}. */
  public static final class Builder {
    private final Lease.Builder lease;
    private final Tracker tracker;
    private final MeterRegistry meters;
    private final Map<String, PortBinder> binders = new LinkedHashMap<>();

    Builder(Lease.Builder lease, Tracker tracker, MeterRegistry meters) {
      this.lease = lease;
      this.tracker = tracker;
      this.meters = meters;
    }

    /** Binds {@code endpoint} with {@code binder}; endpoints are bound in the order added. */
    public Builder endpoint(String endpoint, PortBinder binder) {
      lease.endpoint(endpoint);
      if (binders.putIfAbsent(endpoint, binder) != null) {
        throw new IllegalArgumentException("endpoint: '" + endpoint + "' (expected: each endpoint once)");
      }
      return this;
    }

    /** Asks for exactly {@code port} for {@code endpoint}, which must be added with {@link #endpoint}. */
    public Builder requestPort(String endpoint, int port) {
      lease.requestPort(endpoint, port);
      return this;
    }

    /**
     * Serves the meters of the {@code Berth} this came from as Prometheus text at
     * {@code /metrics} on another endpoint of this instance, named {@code metrics} (a port
     * Berth assigns, on 127.0.0.1): {@code berth top} and Prometheus ({@code /sd} of the
     * registry) find it by name. That meter registry must be a {@code PrometheusMeterRegistry},
     * or a composite holding one; see {@link Berth.Builder#meterRegistry}.
     *
     * @throws IllegalStateException it holds no {@code PrometheusMeterRegistry}
     */
    public Builder exposeMetrics() {
      return endpoint(MetricsHttp.ENDPOINT, MetricsHttp.binder(MetricsHttp.require(meters)));
    }

    /** A label shown by {@code berth ls}. */
    public Builder metadata(String key, String value) {
      lease.metadata(key, value);
      return this;
    }

    /** See {@link Lease.Builder#alsoUnixSocket}: for {@link BerthServer}. */
    Builder alsoUnixSocket(String endpoint, Path path) {
      lease.alsoUnixSocket(endpoint, path);
      return this;
    }

    /**
     * Attaches, binds every endpoint (retrying conflicts on new ports), sends ready and
     * returns once the instance is visible. Throws the binder's {@link IOException} when a
     * bind fails for another reason or keeps conflicting; {@link BerthException} when the
     * registry refuses.
     */
    public Claim bind() throws IOException {
      if (binders.isEmpty()) {
        throw new IllegalStateException("no endpoint to bind (expected: at least one endpoint(name, binder))");
      }
      if (!binders.keySet().containsAll(lease.endpointNames())) {
        throw new IllegalStateException("requestPort for an endpoint without a binder: "
            + lease.endpointNames() + " (expected: " + binders.keySet() + ")");
      }
      LeaseHandshake session = LeaseHandshake.open(lease.connection(), lease.register());
      List<AutoCloseable> resources = PortBinding.bindAll(session, binders, meters);
      Claim claim = new Claim(new Lease(session, tracker), new ArrayList<>(resources), tracker);
      if (!tracker.add(claim)) {
        claim.close();
        throw new IllegalStateException("Berth is closed");
      }
      return claim;
    }

    String service() {
      return lease.service();
    }
  }
}
