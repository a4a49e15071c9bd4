package dev.berth.client.internal;

import dev.berth.client.Address;
import dev.berth.client.BerthException;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.Target;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Plain lookups (resolve, watch) for protocols other than gRPC. Stateless; blocking where noted. */
public final class Lookups {
  private static final Logger logger = Logger.getLogger(Lookups.class.getName());
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RETRY_TIMEOUT = Duration.ofSeconds(2);

  private Lookups() {}

  /**
   * The live instances' addresses, oldest first; empty if none. Blocks for one RPC; if the
   * registry is away, looks for it again (it may have restarted elsewhere) and retries once.
   */
  public static List<Address> resolveAll(
      RegistryConnection connection, String service, String endpoint) {
    ResolveRequest request = ResolveRequest.newBuilder().setService(service).setEndpoint(endpoint).build();
    for (int attempt = 1; ; attempt++) {
      RegistryGrpc.RegistryBlockingStub stub = RegistryGrpc.newBlockingStub(connection.channel())
          .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (attempt == 2) {
        // the registry was away: give the reconnect a moment instead of failing at once
        stub = stub.withWaitForReady().withDeadlineAfter(RETRY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      try {
        return List.copyOf(Addresses.of(stub.resolve(request).getTargetsList()));
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.NOT_FOUND) {
          return List.of();
        }
        boolean away = code == Status.Code.UNAVAILABLE
            || (attempt == 2 && code == Status.Code.DEADLINE_EXCEEDED); // waited to connect, in vain
        if (!away) {
          throw new BerthException(e.getStatus(), e);
        }
        if (attempt == 2) {
          throw connection.unreachable(e);
        }
        connection.rediscover();
        connection.resetConnectBackoff();
      }
    }
  }

  /** Starts a watch delivering address lists to {@code listener}; see {@link WatchSubscription}. */
  public static WatchSubscription watch(RegistryConnection connection, String service, String endpoint,
      Consumer<List<Address>> listener) {
    return WatchSubscription.start(connection, service, endpoint, new WatchSubscription.Listener() {
      @Override
      public void onTargets(List<Target> targets) {
        try {
          listener.accept(List.copyOf(Addresses.of(targets)));
        } catch (RuntimeException e) {
          logger.log(Level.WARNING, "berth: watch listener for " + Names.display(service, endpoint) + " threw", e);
        }
      }

      @Override
      public void onUnavailable(Status status) {
        // nothing known yet; the watch retries, and the listener hears when there is news
      }
    });
  }
}
