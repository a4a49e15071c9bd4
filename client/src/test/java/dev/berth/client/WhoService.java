package dev.berth.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A one-method gRPC service for tests, {@code berth.test.Who/Name}, answering with the name
 * of the instance: enough to see which instance served a call, without generated code.
 */
final class WhoService {
  static final String SERVICE = "berth.test.Who";

  static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  static final MethodDescriptor<String, String> NAME = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Name"))
      .setRequestMarshaller(UTF8)
      .setResponseMarshaller(UTF8)
      .build();

  /** Always fails with FAILED_PRECONDITION: a call that reaches the service and errs. */
  static final MethodDescriptor<String, String> FAIL = NAME.toBuilder()
      .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Fail"))
      .build();

  private WhoService() {}

  /** The service, answering every call with {@code name}. */
  static ServerServiceDefinition named(String name) {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(NAME, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(name);
          response.onCompleted();
        }))
        .addMethod(FAIL, ServerCalls.asyncUnaryCall((request, response) ->
            response.onError(Status.FAILED_PRECONDITION.withDescription("told to fail").asRuntimeException())))
        .build();
  }

  /** Calls Name with a 5 s deadline (fail-fast). */
  static String call(Channel channel) {
    return call(channel, CallOptions.DEFAULT);
  }

  static String call(Channel channel, CallOptions options) {
    CallOptions withDeadline = options.getDeadline() != null
        ? options : options.withDeadlineAfter(5, TimeUnit.SECONDS);
    return ClientCalls.blockingUnaryCall(channel, NAME, withDeadline, "");
  }
}
