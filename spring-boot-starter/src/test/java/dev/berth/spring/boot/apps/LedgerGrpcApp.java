package dev.berth.spring.boot.apps;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A Spring gRPC server application (no web server, no port configured): one unary method,
 * {@code ledger.Ledger/Who}, answering this process's pid as text. Hand-made with a string
 * marshaller, so the test needs no generated code.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class LedgerGrpcApp {
  public static final MethodDescriptor<String, String> WHO = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("ledger.Ledger/Who")
      .setRequestMarshaller(Utf8.INSTANCE)
      .setResponseMarshaller(Utf8.INSTANCE)
      .build();

  @Bean
  BindableService ledger() {
    return () -> ServerServiceDefinition.builder("ledger.Ledger")
        .addMethod(WHO, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(request + " " + ProcessHandle.current().pid());
          response.onCompleted();
        }))
        .build();
  }

  /** UTF-8 text on the wire. */
  public enum Utf8 implements MethodDescriptor.Marshaller<String> {
    INSTANCE;

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
  }
}
