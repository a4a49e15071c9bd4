package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import dev.berth.proto.v1.Assigned;
import dev.berth.proto.v1.BindFailed;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Ready;
import dev.berth.proto.v1.Register;
import dev.berth.proto.v1.RegistryGrpc;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import dev.berth.proto.v1.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One Attach stream driven by hand, as a client in any language would. Like a real service it
 * listens on its assigned ports (on 127.0.0.1, in this JVM, whose pid it registers with) before
 * {@link #ready}, and stops listening when its stream ends.
 */
final class AttachClient implements AutoCloseable {

  static final long WAIT_SECONDS = 10;
  private static final Object COMPLETED = new Object();

  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final ClientCallStreamObserver<AttachRequest> requests;
  private final Map<Integer, ServerSocket> listening = new ConcurrentHashMap<>();
  private volatile Assigned assigned;

  AttachClient(RegistryGrpc.RegistryStub stub) {
    ClientCallStreamObserver<?>[] holder = new ClientCallStreamObserver<?>[1];
    stub.attach(new ClientResponseObserver<AttachRequest, AttachResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<AttachRequest> requestStream) {
        holder[0] = requestStream;
      }

      @Override
      public void onNext(AttachResponse value) {
        events.add(value);
      }

      @Override
      public void onError(Throwable t) {
        close(); // the lease is gone: so is the "service"
        events.add(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        close();
        events.add(COMPLETED);
      }
    });
    @SuppressWarnings("unchecked")
    ClientCallStreamObserver<AttachRequest> r = (ClientCallStreamObserver<AttachRequest>) holder[0];
    this.requests = r;
  }

  static Register register(String service, String... endpoints) {
    Register.Builder b = Register.newBuilder().setService(service).setPid(ProcessHandle.current().pid());
    for (String e : endpoints) {
      b.addEndpoints(EndpointRequest.newBuilder().setName(e));
    }
    return b.build();
  }

  /** {@link #register(String, String...)} in {@code namespace}. */
  static Register registerIn(String namespace, String service, String... endpoints) {
    return register(service, endpoints).toBuilder().setNamespace(namespace).build();
  }

  AttachClient send(AttachRequest request) {
    requests.onNext(request);
    return this;
  }

  AttachClient send(Register register) {
    return send(AttachRequest.newBuilder().setRegister(register).build());
  }

  /** Registers and returns the assignment. */
  Assigned register(Register register) {
    send(register);
    return awaitAssigned();
  }

  Assigned awaitAssigned() {
    AttachResponse r = awaitResponse();
    assertThat(r.hasAssigned()).as("expected assigned, got %s", r).isTrue();
    assigned = r.getAssigned();
    return r.getAssigned();
  }

  /** Listens on every assigned port, sends ready and expects live. */
  void ready() {
    listen();
    send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());
    AttachResponse r = awaitResponse();
    assertThat(r.hasLive()).as("expected live, got %s", r).isTrue();
  }

  Assigned bindFailed(String endpoint, int port) {
    send(AttachRequest.newBuilder().setBindFailed(BindFailed.newBuilder()
        .setEndpoint(endpoint).setPort(port).setError("Address already in use")).build());
    return awaitAssigned();
  }

  /** Registers, then ready: a live instance. Returns its port for {@code main} (or the first). */
  int attachLive(String service) {
    Assigned a = register(register(service));
    ready();
    return a.getEndpoints(0).getPort();
  }

  /** {@link #attachLive(String)} in {@code namespace}. */
  int attachLiveIn(String namespace, String service) {
    Assigned a = register(registerIn(namespace, service));
    ready();
    return a.getEndpoints(0).getPort();
  }

  /** Listens on 127.0.0.1 on every TCP port of the last {@code assigned} not listened on yet. */
  void listen() {
    Assigned a = assigned;
    assertThat(a).as("listen before assigned").isNotNull();
    for (Endpoint e : a.getEndpointsList()) {
      if (!e.getUnixPath().isEmpty()) {
        continue; // the test binds its Unix sockets itself
      }
      listening.computeIfAbsent(e.getPort(), port -> {
        try {
          ServerSocket s = new ServerSocket();
          s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
          return s;
        } catch (IOException ex) {
          return null; // the test holds it itself (already_bound), or it is taken: ready says
        }
      });
    }
  }

  void complete() {
    requests.onCompleted();
    close();
  }

  void cancel() {
    requests.cancel("test cancels", null);
    close();
  }

  /** Stops listening on the ports (idempotent); the stream is left as it is. */
  @Override
  public void close() {
    for (ServerSocket s : listening.values()) {
      try {
        s.close();
      } catch (IOException e) {
        // closing: nothing to do
      }
    }
    listening.clear();
  }

  AttachResponse awaitResponse() {
    Object e = next();
    if (!(e instanceof AttachResponse)) {
      fail("expected a response, got " + e);
    }
    return (AttachResponse) e;
  }

  /** The status the stream ended with; OK for a normal completion. */
  Status awaitEnd() {
    Object e = next();
    if (e == COMPLETED) {
      return Status.OK;
    }
    if (!(e instanceof Status)) {
      fail("expected the stream to end, got " + e);
    }
    return (Status) e;
  }

  /** True when nothing arrived (no error, no message) so far. */
  boolean isQuiet() {
    return events.isEmpty();
  }

  private Object next() {
    try {
      Object e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      if (e == null) {
        fail("nothing on the Attach stream within " + WAIT_SECONDS + " s");
      }
      return e;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }
}
