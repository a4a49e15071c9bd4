package dev.berth.registry.internal;

import com.google.protobuf.Message;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a request whose bytes are not a valid message fail its own call with
 * INVALID_ARGUMENT, naming the method and the message type, logged by
 * {@link MalformedMessageLog}.
 *
 * <p>Why: a generated marshaller throws {@code Status.INTERNAL} from {@code parse}, and
 * grpc-java's server treats any exception thrown while delivering a message as an
 * application error: the call ends UNKNOWN ("Application error processing RPC") and the
 * exception is logged SEVERE with its stack trace, once per message, so a flood of garbage
 * floods the log. Here every method's request marshaller is replaced by one that never
 * throws: it yields the message or the reason it could not be parsed, and the handler
 * closes the call on the latter and tells the service the call is over ({@code onCancel}:
 * an Attach stream's lease ends, a Watch stops).
 */
final class MalformedMessages {

  private MalformedMessages() {}

  /** {@code service} with every request parsed by a marshaller that never throws. */
  static ServerServiceDefinition guard(ServerServiceDefinition service, MalformedMessageLog log) {
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor()); // reflection reads it
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      ServerMethodDefinition<?, ?> guarded = guard(m, log);
      methods.add(guarded);
      descriptor.addMethod(guarded.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    for (ServerMethodDefinition<?, ?> m : methods) {
      out.addMethod(m);
    }
    return out.build();
  }

  private static <ReqT, RespT> ServerMethodDefinition<Parsed<ReqT>, RespT> guard(
      ServerMethodDefinition<ReqT, RespT> definition, MalformedMessageLog log) {
    MethodDescriptor<ReqT, RespT> method = definition.getMethodDescriptor();
    MethodDescriptor<Parsed<ReqT>, RespT> tolerant = method.toBuilder(
        new TolerantMarshaller<>(method.getRequestMarshaller()), method.getResponseMarshaller())
        .build();
    return ServerMethodDefinition.create(tolerant,
        new GuardedHandler<>(method, definition.getServerCallHandler(), log));
  }

  /** A parsed request, or why the bytes were not one. */
  record Parsed<T>(T message, RuntimeException error) {}

  /** Parses like {@code delegate} but returns a failure instead of throwing it. */
  private static final class TolerantMarshaller<T> implements MethodDescriptor.Marshaller<Parsed<T>> {
    private final MethodDescriptor.Marshaller<T> delegate;

    TolerantMarshaller(MethodDescriptor.Marshaller<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public InputStream stream(Parsed<T> value) {
      return delegate.stream(value.message());
    }

    @Override
    public Parsed<T> parse(InputStream stream) {
      try {
        return new Parsed<>(delegate.parse(stream), null);
      } catch (RuntimeException e) {
        return new Parsed<>(null, e);
      }
    }
  }

  /** Hands parsed requests on; ends the call at the first one that did not parse. */
  private static final class GuardedHandler<ReqT, RespT>
      implements ServerCallHandler<Parsed<ReqT>, RespT> {
    private final MethodDescriptor<ReqT, RespT> method;
    private final ServerCallHandler<ReqT, RespT> next;
    private final MalformedMessageLog log;
    private final String requestType;

    GuardedHandler(MethodDescriptor<ReqT, RespT> method, ServerCallHandler<ReqT, RespT> next,
        MalformedMessageLog log) {
      this.method = method;
      this.next = next;
      this.log = log;
      this.requestType = typeName(method.getRequestMarshaller());
    }

    @Override
    public ServerCall.Listener<Parsed<ReqT>> startCall(ServerCall<Parsed<ReqT>, RespT> call,
        Metadata headers) {
      GuardedCall<ReqT, RespT> inner = new GuardedCall<>(call, method);
      ServerCall.Listener<ReqT> listener = next.startCall(inner, headers);
      // gRPC calls a listener's methods one at a time, so `ended` needs no lock
      return new ServerCall.Listener<>() {
        private boolean ended;

        @Override
        public void onMessage(Parsed<ReqT> parsed) {
          if (ended) {
            return;
          }
          if (parsed.error() == null) {
            listener.onMessage(parsed.message());
            return;
          }
          ended = true;
          String description = String.format(
              "%s: the request bytes are not a valid %s message (%s)",
              method.getFullMethodName(), requestType, reason(parsed.error()));
          log.malformed(call.getAttributes(), description);
          inner.closeMalformed(Status.INVALID_ARGUMENT.withDescription(description));
          listener.onCancel(); // the call is over: its lease ends, its watch stops
        }

        @Override
        public void onHalfClose() {
          if (!ended) {
            listener.onHalfClose();
          }
        }

        @Override
        public void onCancel() {
          if (!ended) {
            ended = true;
            listener.onCancel();
          }
        }

        @Override
        public void onComplete() {
          if (!ended) {
            ended = true;
            listener.onComplete();
          }
        }

        @Override
        public void onReady() {
          if (!ended) {
            listener.onReady();
          }
        }
      };
    }

    private static String typeName(MethodDescriptor.Marshaller<?> marshaller) {
      if (marshaller instanceof MethodDescriptor.PrototypeMarshaller<?> p
          && p.getMessagePrototype() instanceof Message m) {
        return m.getDescriptorForType().getFullName();
      }
      return "request";
    }

    private static String reason(RuntimeException e) {
      // ProtoUtils wraps the InvalidProtocolBufferException, whose message says what was wrong
      Throwable why = e.getCause() != null ? e.getCause() : e;
      return String.valueOf(why.getMessage());
    }
  }

  /**
   * The call as the service sees it: requests already parsed. Once it was closed for a
   * malformed request, whatever the service still sends or closes is dropped (the service
   * learns of the end on another thread). Thread-safe: sends and closes hold {@code this}.
   */
  private static final class GuardedCall<ReqT, RespT> extends ServerCall<ReqT, RespT> {
    private final ServerCall<Parsed<ReqT>, RespT> delegate;
    private final MethodDescriptor<ReqT, RespT> method;
    private boolean closedMalformed; // guarded by this

    GuardedCall(ServerCall<Parsed<ReqT>, RespT> delegate, MethodDescriptor<ReqT, RespT> method) {
      this.delegate = delegate;
      this.method = method;
    }

    synchronized void closeMalformed(Status status) {
      closedMalformed = true;
      try {
        delegate.close(status, new Metadata());
      } catch (IllegalStateException alreadyClosed) {
        // the service closed it first: its status stands
      }
    }

    @Override
    public void request(int numMessages) {
      delegate.request(numMessages);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closedMalformed) {
        delegate.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(RespT message) {
      if (!closedMalformed) {
        delegate.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closedMalformed) {
        delegate.close(status, trailers);
      }
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public boolean isCancelled() {
      return delegate.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      delegate.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      delegate.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      delegate.setOnReadyThreshold(numBytes);
    }

    @Override
    public Attributes getAttributes() {
      return delegate.getAttributes();
    }

    @Override
    public String getAuthority() {
      return delegate.getAuthority();
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return delegate.getSecurityLevel();
    }

    @Override
    public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
      return method;
    }
  }
}
