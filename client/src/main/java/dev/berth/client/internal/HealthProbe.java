package dev.berth.client.internal;

import dev.berth.local.RegistryLauncher;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Asks {@code grpc.health.v1.Health} (served without a token) whether a registry answers at
 * an address, within a bound: the one probe of the client ({@link RegistryConnection#probe})
 * and the CLI ({@code berth registry start}, {@code berth registry stop}).
 *
 * <p>Each probe dials a fresh channel and shuts it down: a channel that failed before stays
 * failed until it reconnects (pick_first's sticky TRANSIENT_FAILURE), which would hide a
 * registry that just started. Thread-safe (stateless); blocks for at most the timeout.
 */
public final class HealthProbe {

  /**
   * How long a registry that {@code registry.json} names may take to answer before a command
   * decides it is not there: a loaded machine makes a registry slow, not absent, and where
   * nothing listens the probe fails at once anyway.
   */
  public static final Duration PATIENCE = RegistryLauncher.START_TIMEOUT;

  private HealthProbe() {}

  /** {@link #answers(HostPort, Duration)} for {@code host:port}; false if it is not one. */
  public static boolean answers(String address, Duration timeout) {
    HostPort where;
    try {
      where = HostPort.parse(address);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return answers(where, timeout);
  }

  /**
   * True when a gRPC server answers the health check at {@code where} within {@code timeout}:
   * any answer but "unavailable", "deadline exceeded" or "cancelled" counts, since a server
   * that answers at all runs (it may not serve health {@code ""}).
   */
  public static boolean answers(HostPort where, Duration timeout) {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress(
            where.host(), where.port(), InsecureChannelCredentials.create())
        .proxyDetector(a -> null) // loopback: never through a proxy
        .userAgent("berth-client")
        .build();
    try {
      HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return true;
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      return code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED
          && code != Status.Code.CANCELLED;
    } finally {
      channel.shutdownNow();
    }
  }
}
