package dev.berth.cli.internal.stack;

import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.Snapshot;
import dev.berth.proto.v1.Target;
import dev.berth.proto.v1.WatchRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Watches the registry for the instance a service that registers itself brings up: live once a
 * snapshot of its first endpoint in the stack's namespace (exactly: not the default namespace's
 * fallback) holds a target whose pid is the child's or a descendant's (the ppid chain from the
 * target up to the child), so that another copy of the service, or the same service of another
 * stack, is never taken for it. Re-opens the watch when the registry restarts. Callbacks on
 * gRPC's executor; thread-safe.
 */
final class SelfWatch implements AutoCloseable {

  private static final int MAX_DEPTH = 64;

  private final RegistryGrpc.RegistryStub stub;
  private final WatchRequest request;
  private final ProcessHandle child;
  private final CompletableFuture<Address> live = new CompletableFuture<>();
  private volatile ClientCallStreamObserver<WatchRequest> call;
  private volatile boolean closed;

  private SelfWatch(Berth berth, WatchRequest request, ProcessHandle child) {
    this.stub = RegistryGrpc.newStub(InternalBerth.registryStub(berth).getChannel());
    this.request = request;
    this.child = child;
  }

  static SelfWatch open(Berth berth, String namespace, String service, String endpoint, ProcessHandle child) {
    SelfWatch watch = new SelfWatch(berth, WatchRequest.newBuilder().setService(service)
        .setEndpoint(endpoint).setNamespace(namespace).build(), child);
    watch.watch();
    return watch;
  }

  /** Completes with the child's address once its instance is live. */
  CompletableFuture<Address> live() {
    return live;
  }

  private void watch() {
    stub.watch(request, new ClientResponseObserver<WatchRequest, Snapshot>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
        call = requestStream;
      }

      @Override
      public void onNext(Snapshot snapshot) {
        ours(snapshot).ifPresent(live::complete);
      }

      @Override
      public void onError(Throwable t) {
        retry();
      }

      @Override
      public void onCompleted() {
        retry();
      }
    });
  }

  private void retry() {
    if (closed || live.isDone() || !child.isAlive()) {
      return;
    }
    CompletableFuture.delayedExecutor(500, java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> {
      if (!closed && !live.isDone()) {
        watch();
      }
    });
  }

  private Optional<Address> ours(Snapshot snapshot) {
    if (!snapshot.getNamespace().equals(request.getNamespace())) {
      return Optional.empty();
    }
    for (Target t : snapshot.getTargetsList()) {
      if (t.getPort() != 0 && inTree(t.getPid(), child)) {
        return Optional.of(Address.tcp(t.getHost(), t.getPort()));
      }
    }
    return Optional.empty();
  }

  /** True when {@code pid} is {@code root} or, through its parents, a descendant of it. */
  static boolean inTree(long pid, ProcessHandle root) {
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    for (int depth = 0; p.isPresent() && depth < MAX_DEPTH; depth++) {
      if (p.get().pid() == root.pid()) {
        return true;
      }
      p = p.get().parent();
    }
    return false;
  }

  @Override
  public void close() {
    closed = true;
    ClientCallStreamObserver<WatchRequest> c = call;
    if (c != null) {
      c.cancel("the instance's process exited", null);
    }
    live.cancel(false);
  }
}
