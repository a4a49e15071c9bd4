package dev.berth.cli.internal;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Asks {@code grpc.health.v1.Health} (no token needed) whether a registry answers. */
final class RegistryProbe {

  /**
   * How long a registry that {@code registry.json} names may take to answer before a command
   * decides it is not there: a loaded machine makes a registry slow, not absent, and where
   * nothing listens the probe fails at once anyway.
   */
  static final Duration PATIENCE = Duration.ofSeconds(20);

  private RegistryProbe() {}

  /** True when something speaking gRPC health answers at {@code host:port} within {@code timeout}. */
  static boolean answers(String address, Duration timeout) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      return false;
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    ManagedChannel channel = ManagedChannelBuilder
        .forAddress(address.substring(0, colon), port)
        .usePlaintext()
        .build();
    try {
      HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return true;
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      // NOT_FOUND and friends are answers too: a server is there
      return code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED;
    } finally {
      channel.shutdownNow();
    }
  }
}
