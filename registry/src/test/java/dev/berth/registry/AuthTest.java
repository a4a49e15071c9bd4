package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.RegistryGrpc;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token guards every RPC of berth.v1.Registry; health and reflection need none. */
class AuthTest {

  @TempDir Path dir;
  private TestRegistry reg;

  @BeforeEach
  void start() throws Exception {
    reg = TestRegistry.start(dir, 2);
  }

  @AfterEach
  void stop() throws Exception {
    reg.close();
  }

  @Test
  void call_withoutToken_isUnauthenticated() {
    var stub = RegistryGrpc.newBlockingStub(reg.channelWithoutToken());

    assertThatThrownBy(() -> stub.list(ListRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).contains("missing", "berth-token",
              reg.registry.stateDir().resolve("token").toString());
        });
  }

  @Test
  void call_withWrongToken_isUnauthenticated() throws Exception {
    Metadata wrong = new Metadata();
    wrong.put(TestRegistry.TOKEN, "0".repeat(64));
    var stub = RegistryGrpc.newBlockingStub(reg.channelWithoutToken())
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(wrong));

    String token = reg.token();
    assertThatThrownBy(() -> stub.list(ListRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).contains("wrong berth-token")
              .doesNotContain(token);
        });
  }

  @Test
  void health_withoutToken_isServing() {
    var health = HealthGrpc.newBlockingStub(reg.channelWithoutToken());

    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
        .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    assertThat(health.check(HealthCheckRequest.newBuilder().setService("berth.v1.Registry").build())
        .getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void reflection_withToken_listsTheRegistryService() throws Exception {
    ServerReflectionResponse response = ask(ServerReflectionGrpc.newStub(reg.channel())::serverReflectionInfo,
        ServerReflectionRequest.newBuilder().setListServices("").build());

    assertThat(response.getListServicesResponse().getServiceList().stream()
        .map(ServiceResponse::getName).collect(Collectors.toList()))
        .contains("berth.v1.Registry", "grpc.health.v1.Health");
  }

  @Test
  void reflectionV1_withoutToken_listsServicesAndDescribesTheRegistry() throws Exception {
    var stub = ServerReflectionGrpc.newStub(reg.channelWithoutToken());

    ServerReflectionResponse list = ask(stub::serverReflectionInfo,
        ServerReflectionRequest.newBuilder().setListServices("").build());
    ServerReflectionResponse file = ask(stub::serverReflectionInfo,
        ServerReflectionRequest.newBuilder().setFileContainingSymbol("berth.v1.Registry").build());

    assertThat(list.getListServicesResponse().getServiceList().stream()
        .map(ServiceResponse::getName).collect(Collectors.toList()))
        .contains("berth.v1.Registry", "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");
    assertThat(file.getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
  }

  @Test
  void reflectionV1Alpha_withoutToken_listsServicesAndDescribesTheRegistry() throws Exception {
    var stub = io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(reg.channelWithoutToken());

    io.grpc.reflection.v1alpha.ServerReflectionResponse list = ask(stub::serverReflectionInfo,
        io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
    io.grpc.reflection.v1alpha.ServerReflectionResponse file = ask(stub::serverReflectionInfo,
        io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder()
            .setFileContainingSymbol("berth.v1.Registry").build());

    assertThat(list.getListServicesResponse().getServiceList().stream()
        .map(io.grpc.reflection.v1alpha.ServiceResponse::getName).collect(Collectors.toList()))
        .contains("berth.v1.Registry", "grpc.health.v1.Health");
    assertThat(file.getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
  }

  /** One request on a new reflection stream; the first answer. */
  private static <Q, R> R ask(
      java.util.function.Function<StreamObserver<R>, StreamObserver<Q>> open, Q request)
      throws Exception {
    CompletableFuture<R> answer = new CompletableFuture<>();
    StreamObserver<Q> requests = open.apply(new StreamObserver<>() {
      @Override
      public void onNext(R value) {
        answer.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        answer.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    });
    requests.onNext(request);
    try {
      return answer.get(10, TimeUnit.SECONDS);
    } finally {
      requests.onCompleted();
    }
  }
}
