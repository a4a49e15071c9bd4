package dev.berth.client.internal;

import dev.berth.client.BerthException;
import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import dev.berth.proto.v1.Assigned;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Live;
import dev.berth.proto.v1.Register;
import io.grpc.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The registry's end of lease streams, written by hand for tests (a recording fake, as
 * grpc-java's tests have, not mocks): it records every stream opened and every message sent,
 * and answers as a registry would — {@code assigned} for {@code register} (the requested port,
 * else a port of its own), another port for {@code bind_failed}, {@code live} for
 * {@code ready} — unless told to refuse or to stay silent.
 *
 * <p>Events reach the lease on the calling thread but never inside the call that caused them:
 * they are queued and delivered once the outermost call returns, as gRPC never calls back
 * from within {@code onNext}. Not thread-safe: used from the test's thread, on which a
 * {@code FakeClock} runs the lease's timers too (or handed between threads through a latch).
 */
final class FakeAttachRegistry implements AttachStream.Registry {
  final List<Stream> streams = new ArrayList<>();
  int prepared; // prepareReattach() calls

  private final Deque<Runnable> deliveries = new ArrayDeque<>();
  private boolean delivering;
  private Status refusal; // a register is answered by ending its stream with this
  private boolean silent; // a register is not answered at all
  private int nextPort = 40_000;
  private int moveTo; // nonzero: the next register gets this port for its first TCP endpoint
  private Status endOnReady; // the next ready ends its stream with this instead of live
  private CountDownLatch endedOnReady;
  private int instances;

  /** Every later {@code register} ends its stream with {@code status}, as a refusing registry does. */
  void refuseRegister(Status status) {
    refusal = status;
  }

  /** Later {@code register}s get no answer: a registry that accepted the stream and hangs. */
  void silent() {
    silent = true;
  }

  /** The next {@code register} is assigned {@code port} for its first TCP endpoint, whatever it asked for. */
  void moveNextRegisterTo(int port) {
    moveTo = port;
  }

  /**
   * The next {@code ready} ends its stream with {@code status} (the registry dies as the
   * lease goes live), and counts {@code ended} down once the lease has been told.
   */
  void endOnReady(Status status, CountDownLatch ended) {
    endOnReady = status;
    endedOnReady = ended;
  }

  /** Later {@code register}s are granted again. */
  void accept() {
    refusal = null;
    silent = false;
  }

  /** The stream opened last. */
  Stream last() {
    return streams.get(streams.size() - 1);
  }

  @Override
  public AttachStream open(AttachStream.Events events) {
    Stream stream = new Stream(events);
    streams.add(stream);
    return stream;
  }

  @Override
  public void prepareReattach() {
    prepared++;
  }

  @Override
  public long retryDelayNanos(Backoff backoff) {
    return backoff.nextDelayNanos();
  }

  @Override
  public String describe() {
    return "at fake";
  }

  @Override
  public BerthException unreachable(Throwable cause) {
    return new BerthException(Status.UNAVAILABLE.withDescription("no Berth registry at fake"), cause);
  }

  private void deliver(Runnable event) {
    deliveries.add(event);
    if (delivering) {
      return; // the outer delivery loop runs it once the current event is handled
    }
    delivering = true;
    try {
      for (Runnable next; (next = deliveries.poll()) != null; ) {
        next.run();
      }
    } finally {
      delivering = false;
    }
  }

  /** One {@code Attach} stream, as the registry sees it. */
  final class Stream implements AttachStream {
    final List<AttachRequest> sent = new ArrayList<>();
    boolean halfClosed;
    String cancelled;
    private final AttachStream.Events events;
    private final Map<String, Endpoint> assigned = new LinkedHashMap<>();
    private String instanceId = "";
    private boolean ended;

    private Stream(AttachStream.Events events) {
      this.events = events;
    }

    /** The {@code register} this stream began with. */
    Register register() {
      return sent.get(0).getRegister();
    }

    /** The kinds of messages sent, in order. */
    List<AttachRequest.KindCase> kinds() {
      List<AttachRequest.KindCase> kinds = new ArrayList<>();
      sent.forEach(r -> kinds.add(r.getKindCase()));
      return kinds;
    }

    /** Ends the stream from the registry's side (restarted, killed: UNAVAILABLE; or a refusal). */
    void end(Status status) {
      if (!ended) {
        ended = true;
        deliver(() -> events.onEnded(this, status));
      }
    }

    @Override
    public void send(AttachRequest request) {
      sent.add(request);
      if (ended) {
        return;
      }
      switch (request.getKindCase()) {
        case REGISTER -> onRegister(request.getRegister());
        case BIND_FAILED -> {
          String name = request.getBindFailed().getEndpoint();
          assigned.put(name, assigned.get(name).toBuilder().setPort(nextPort++).build());
          respond(AttachResponse.newBuilder().setAssigned(assignedMessage()).build());
        }
        case READY -> {
          if (endOnReady != null) {
            Status status = endOnReady;
            endOnReady = null;
            end(status);
            endedOnReady.countDown();
          } else {
            respond(AttachResponse.newBuilder().setLive(Live.newBuilder().setInstanceId(instanceId)).build());
          }
        }
        default -> end(Status.INVALID_ARGUMENT.withDescription("empty AttachRequest"));
      }
    }

    @Override
    public void halfCloseAndAwait(long millis) {
      halfClosed = true;
      ended = true; // the registry confirms; the lease no longer listens
    }

    @Override
    public void cancel(String why) {
      if (!ended) {
        cancelled = why;
        end(Status.CANCELLED.withDescription(why));
      }
    }

    private void onRegister(Register register) {
      if (refusal != null) {
        end(refusal);
        return;
      }
      if (silent) {
        return;
      }
      instanceId = register.getService() + "-" + ++instances;
      for (EndpointRequest e : register.getEndpointsList()) {
        String name = e.getName().isEmpty() ? Names.MAIN : e.getName();
        Endpoint.Builder endpoint = Endpoint.newBuilder().setName(name);
        if (!e.getUnixPath().isEmpty()) {
          endpoint.setUnixPath(e.getUnixPath());
        } else {
          int port = moveTo != 0 ? moveTo : e.getPort() != 0 ? e.getPort() : nextPort++;
          moveTo = 0;
          endpoint.setHost("127.0.0.1").setPort(port);
        }
        assigned.put(name, endpoint.build());
      }
      respond(AttachResponse.newBuilder().setAssigned(assignedMessage()).build());
    }

    private Assigned assignedMessage() {
      return Assigned.newBuilder().setInstanceId(instanceId).addAllEndpoints(assigned.values()).build();
    }

    private void respond(AttachResponse response) {
      deliver(() -> events.onResponse(this, response));
    }
  }
}
