package dev.berth.client.internal;

import dev.berth.client.Address;
import dev.berth.client.BerthException;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.ResolveRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Discovery} by the local registry: {@code Resolve} for a lookup, a
 * {@link WatchSubscription} for a watch. The only place where the client's consumers of
 * addresses meet {@link RegistryConnection} and the registry's wire types.
 *
 * <p>Thread-safe. A watch holds a connection from its {@link ConnectionSource} until closed.
 */
public final class RegistryDiscovery implements Discovery {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RETRY_TIMEOUT = Duration.ofSeconds(2);

  private final ConnectionSource source;

  /** Discovery through connections from {@code source}. */
  public RegistryDiscovery(ConnectionSource source) {
    this.source = source;
  }

  /** Discovery through {@code connection}, which someone else owns and closes. */
  public static RegistryDiscovery of(RegistryConnection connection) {
    return new RegistryDiscovery(ConnectionSource.of(connection));
  }

  /**
   * Blocks for one {@code Resolve}; if the registry is away, looks for it again (it may have
   * restarted elsewhere) and retries once. {@code NOT_FOUND} is an empty list.
   */
  @Override
  public List<Address> resolve(BerthTarget name) {
    RegistryConnection connection = source.acquire();
    try {
      return resolve(connection, ResolveRequest.newBuilder()
          .setService(name.service()).setEndpoint(name.endpoint()).setNamespace(name.namespace()).build());
    } finally {
      source.release(connection);
    }
  }

  @Override
  public Discovery.Watch watch(BerthTarget name, Listener listener) {
    RegistryConnection connection = source.acquire();
    WatchSubscription subscription;
    try {
      subscription = WatchSubscription.start(connection, name, listener);
    } catch (RuntimeException e) {
      source.release(connection);
      throw e;
    }
    AtomicBoolean closed = new AtomicBoolean();
    return () -> {
      if (closed.compareAndSet(false, true)) {
        subscription.close();
        source.release(connection);
      }
    };
  }

  private static List<Address> resolve(RegistryConnection connection, ResolveRequest request) {
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
}
