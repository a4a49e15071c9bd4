package dev.berth.registry.internal;

import dev.berth.local.PortProbe;
import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import dev.berth.proto.v1.BerthHolder;
import dev.berth.proto.v1.BerthsRequest;
import dev.berth.proto.v1.BerthsResponse;
import dev.berth.proto.v1.ConflictsRequest;
import dev.berth.proto.v1.ConflictsResponse;
import dev.berth.proto.v1.Free;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.ListResponse;
import dev.berth.proto.v1.ProcessInfo;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.ResolveResponse;
import dev.berth.proto.v1.Snapshot;
import dev.berth.proto.v1.WatchRequest;
import dev.berth.proto.v1.WhoHasRequest;
import dev.berth.proto.v1.WhoHasResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;

/**
 * {@code berth.v1.Registry}: the wire protocol on top of the lease table, the sticky map and
 * the watch hub. Thread-safe.
 *
 * <p>Handlers run on the transport's threads (the server uses a direct executor): Resolve,
 * Watch, List and Berths only take short locks and build messages, and a hop to another thread
 * would cost more than the work itself. What may block (the Attach handshake probes ports,
 * fsyncs {@code berths.json} and scans {@code /proc}; WhoHas scans {@code /proc}) moves to
 * {@code blocking}, each Attach stream's events in order.
 */
final class RegistryService extends RegistryGrpc.RegistryImplBase {
  /** How {@code WhoHas} names the registry's own gRPC port: {@code berth/registry}. */
  static final String REGISTRY_ENDPOINT = "registry";

  private final RegistryParts parts;
  private final PortProbe probe;
  private final IntSupplier ownPort; // the registry's gRPC port, -1 until bound
  private final Executor blocking;
  private final ListenCheck listenCheck;
  private final UnixSocketCheck unixCheck;
  private final Set<LeaseStream> streams = ConcurrentHashMap.newKeySet();
  private volatile Status closedWith;

  /** @param blocking runs what may block, off the transport's threads */
  RegistryService(RegistryParts parts, PortProbe probe, IntSupplier ownPort, Executor blocking) {
    this(parts, probe, ownPort, blocking, UnixSocketCheck.system());
  }

  RegistryService(RegistryParts parts, PortProbe probe, IntSupplier ownPort, Executor blocking,
      UnixSocketCheck unixCheck) {
    this.parts = parts;
    this.probe = probe;
    this.ownPort = ownPort;
    this.blocking = blocking;
    this.listenCheck = new ListenCheck(probe, parts.holders());
    this.unixCheck = unixCheck;
  }

  @Override
  public StreamObserver<AttachRequest> attach(StreamObserver<AttachResponse> responses) {
    ServerCallStreamObserver<AttachResponse> call = (ServerCallStreamObserver<AttachResponse>) responses;
    // one message at a time: the next is read only once this one is handled, so a client
    // cannot queue unbounded work (each bind_failed scans /proc) on the registry's heap
    call.disableAutoRequest();
    call.request(1);
    SerialExecutor events = new SerialExecutor(blocking);
    LeaseStream session = new LeaseStream(parts, call, streams::remove, events, listenCheck,
        unixCheck);
    streams.add(session);
    Status closed = closedWith;
    if (closed != null) {
      session.shutdown(closed); // raced with close(): no lease may outlive the registry
    }
    return new StreamObserver<>() {
      @Override
      public void onNext(AttachRequest request) {
        events.execute(() -> {
          try {
            session.onNext(request);
          } finally {
            call.request(1);
          }
        });
      }

      @Override
      public void onError(Throwable t) {
        events.execute(() -> session.onError(t));
      }

      @Override
      public void onCompleted() {
        events.execute(session::onCompleted);
      }
    };
  }

  @Override
  public void resolve(ResolveRequest request, StreamObserver<ResolveResponse> responses) {
    Timer.Sample sample = Timer.start();
    try {
      String service = Names.checkService(request.getService());
      String endpoint = Names.checkEndpoint(request.getEndpoint());
      String namespace = Names.checkNamespace(request.getNamespace());
      Snapshot s = parts.table().snapshot(namespace, service, endpoint);
      if (s.getTargetsCount() == 0) {
        throw Status.NOT_FOUND.withDescription(notFound(namespace, service, endpoint))
            .asRuntimeException();
      }
      responses.onNext(ResolveResponse.newBuilder()
          .setService(service)
          .setEndpoint(endpoint)
          .addAllTargets(s.getTargetsList())
          .setNamespace(s.getNamespace())
          .build());
      responses.onCompleted();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
    } finally {
      sample.stop(parts.metrics().resolveTimer());
    }
  }

  /**
   * NOT_FOUND's description: {@code no live instance of service "orders" endpoint "main"}, and
   * {@code  in namespace "shop" or the default namespace} when one was asked for.
   */
  static String notFound(String namespace, String service, String endpoint) {
    return String.format("no live instance of service %s endpoint %s%s", Names.quote(service),
        Names.quote(endpoint), namespace.isEmpty() ? ""
            : " in namespace " + Names.quote(namespace) + " or the default namespace");
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<Snapshot> responses) {
    String service;
    String endpoint;
    String namespace;
    try {
      service = Names.checkService(request.getService());
      endpoint = Names.checkEndpoint(request.getEndpoint());
      namespace = Names.checkNamespace(request.getNamespace());
    } catch (StatusRuntimeException e) {
      responses.onError(e);
      return;
    }
    parts.hub().watch(namespace, service, endpoint, (ServerCallStreamObserver<Snapshot>) responses);
  }

  @Override
  public void list(ListRequest request, StreamObserver<ListResponse> responses) {
    String namespace;
    try {
      namespace = listedNamespace(request.getNamespace(), request.getDefaultOnly());
    } catch (StatusRuntimeException e) {
      responses.onError(e);
      return;
    }
    responses.onNext(ListResponse.newBuilder()
        .addAllInstances(parts.table().list(namespace)).build());
    responses.onCompleted();
  }

  /**
   * The one namespace a List asks for ("" the default one), or null for all: an empty
   * {@code namespace} without {@code default_only} means every namespace, as before namespaces.
   * INVALID_ARGUMENT for a bad name, or for both a name and {@code default_only}.
   */
  static String listedNamespace(String namespace, boolean defaultOnly) {
    boolean word = !namespace.isEmpty() && Names.checkNamespace(namespace).isEmpty(); // "default"
    if (word) {
      defaultOnly = true;
      namespace = "";
    }
    if (defaultOnly && !namespace.isEmpty()) {
      throw Names.invalid("namespace: %s with default_only: true (expected: one of them)",
          Names.quote(namespace));
    }
    return defaultOnly ? "" : namespace.isEmpty() ? null : namespace;
  }

  @Override
  public void whoHas(WhoHasRequest request, StreamObserver<WhoHasResponse> responses) {
    blocking.execute(() -> whoHasNow(request, responses));
  }

  private void whoHasNow(WhoHasRequest request, StreamObserver<WhoHasResponse> responses) {
    long port = Integer.toUnsignedLong(request.getPort());
    if (port < 1 || port > 65535) {
      responses.onError(Names.invalid("port: %d (expected: 1..65535)", port));
      return;
    }
    int p = (int) port;
    WhoHasResponse.Builder out = WhoHasResponse.newBuilder().setPort(p);
    parts.sticky().rememberedFor(p).ifPresent(out::setRememberedFor);
    Optional<LeaseTable.PortLease> lease = parts.table().holderOf(p);
    if (p == ownPort.getAsInt()) {
      // the registry is no foreign process: name it as Berth's own
      out.setBerth(BerthHolder.newBuilder().setService(RegistryServer.SELF_SERVICE)
          .setEndpoint(REGISTRY_ENDPOINT).setInstanceId("registry")
          .setPid(ProcessHandle.current().pid()));
    } else if (lease.isPresent()) {
      if (lease.get().live()) {
        out.setBerth(lease.get().holder());
      } else {
        out.setReserved(lease.get().holder());
      }
    } else if (parts.holders().available()) {
      parts.holders().find(p).ifPresentOrElse(
          h -> out.setProcess(ProcessInfo.newBuilder().setPid(h.pid()).setCommandLine(h.commandLine())),
          () -> out.setFree(Free.getDefaultInstance()));
    } else if (probe.isFree(p)) {
      out.setFree(Free.getDefaultInstance()); // no /proc: a bind is all we can ask
    } else {
      out.setProcess(ProcessInfo.getDefaultInstance());
    }
    responses.onNext(out.build());
    responses.onCompleted();
  }

  @Override
  public void conflicts(ConflictsRequest request, StreamObserver<ConflictsResponse> responses) {
    responses.onNext(ConflictsResponse.newBuilder()
        .addAllConflicts(parts.conflictLog().recent())
        .build());
    responses.onCompleted();
  }

  @Override
  public void berths(BerthsRequest request, StreamObserver<BerthsResponse> responses) {
    responses.onNext(berths(parts.sticky(), parts.pool()));
    responses.onCompleted();
  }

  /** Every remembered berth (by namespace, service, endpoint) and the pool: Berths, /v1/berths. */
  static BerthsResponse berths(StickyPorts sticky, PortPool pool) {
    return BerthsResponse.newBuilder()
        .addAllBerths(sticky.sorted())
        .setPoolFirst(pool.first())
        .setPoolLast(pool.last())
        .build();
  }

  /** Ends every lease stream with {@code status} (the registry is closing); later ones too. */
  void close(Status status) {
    closedWith = status;
    for (LeaseStream session : streams) {
      session.shutdown(status);
    }
  }
}
