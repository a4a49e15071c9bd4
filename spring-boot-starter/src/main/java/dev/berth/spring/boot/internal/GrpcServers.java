package dev.berth.spring.boot.internal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEvent;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/** A Spring gRPC server's start, reported to {@link AppInstance} as {@code grpc}. Loaded only with Spring gRPC. */
final class GrpcServers {
  static final String GRPC = "grpc";

  private GrpcServers() {}

  static void started(ApplicationEvent event, ObjectProvider<AppInstance> instance) {
    GrpcServerStartedEvent started = (GrpcServerStartedEvent) event;
    if (started.getPort() <= 0) {
      return; // the in-process server (spring.grpc.server.inprocess.name) has no port: not `grpc`
    }
    instance.ifAvailable(app -> app.listening(GRPC, started.getPort()));
  }
}
