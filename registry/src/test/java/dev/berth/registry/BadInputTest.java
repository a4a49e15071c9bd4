package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.BindFailed;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.Ready;
import dev.berth.proto.v1.Register;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.WatchRequest;
import dev.berth.proto.v1.WhoHasRequest;
import dev.berth.testing.TestPools;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input gets a status naming the bad value, and never disturbs another lease. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

  private Path dir;
  private TestRegistry reg;
  private AttachClient bystander;
  private WatchClient bystanderWatch;
  private int bystanderPort;

  @BeforeAll
  void startRegistryWithALiveBystander(@TempDir Path dir) throws Exception {
    this.dir = dir;
    reg = TestRegistry.start(dir, 8);
    bystander = reg.attach();
    bystanderPort = bystander.attachLive("bystander");
    bystanderWatch = reg.watch("bystander", "main");
    bystanderWatch.await(WatchClient.hasPort(bystanderPort));
  }

  @AfterAll
  void stop() throws Exception {
    reg.close();
  }

  static AttachRequest req(Register r) {
    return AttachRequest.newBuilder().setRegister(r).build();
  }

  /**
   * Not sent: in a message list, "wait for assigned and listen on its ports", as a real client
   * does before ready (the registry checks). Matched by identity.
   */
  static final AttachRequest LISTEN = AttachRequest.newBuilder().build();

  static AttachRequest ready() {
    return AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build();
  }

  static Stream<Arguments> badAttach() {
    Register.Builder tooMany = Register.newBuilder().setService("wide");
    for (int i = 0; i < 17; i++) {
      tooMany.addEndpoints(EndpointRequest.newBuilder().setName("e" + i));
    }
    return Stream.of(
        Arguments.of("bad service name", List.of(req(AttachClient.register("Bad_Name"))),
            Status.Code.INVALID_ARGUMENT,
            "service: \"Bad_Name\" (expected: a DNS label of 1 to 63 characters, [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)"),
        Arguments.of("service name of 64 characters", List.of(req(AttachClient.register("a".repeat(64)))),
            Status.Code.INVALID_ARGUMENT, "(expected: a DNS label of 1 to 63 characters"),
        Arguments.of("bad namespace", List.of(req(AttachClient.registerIn("Shop_1", "web"))),
            Status.Code.INVALID_ARGUMENT,
            "namespace: \"Shop_1\" (expected: \"\" for the default namespace, or a DNS label of 1 to 63 characters, [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)"),
        Arguments.of("bad endpoint name", List.of(req(AttachClient.register("web", "HTTP!"))),
            Status.Code.INVALID_ARGUMENT, "endpoint: \"HTTP!\""),
        Arguments.of("duplicate endpoint", List.of(req(AttachClient.register("web", "http", "http"))),
            Status.Code.INVALID_ARGUMENT, "endpoint: \"http\" appears twice"),
        Arguments.of("too many endpoints", List.of(req(tooMany.build())),
            Status.Code.RESOURCE_EXHAUSTED, "endpoints: 17 (expected: at most 16"),
        Arguments.of("oversized metadata", List.of(req(AttachClient.register("web").toBuilder()
                .putMetadata("k", "v".repeat(4999)).build())),
            Status.Code.INVALID_ARGUMENT, "metadata: 5000 bytes"),
        Arguments.of("reservation too long", List.of(req(AttachClient.register("web").toBuilder()
                .setReservationMillis(600_001).build())),
            Status.Code.INVALID_ARGUMENT, "reservation_millis: 600001 (expected: 0 for the default, or at most 600000)"),
        Arguments.of("bad metadata key", List.of(req(AttachClient.register("web").toBuilder()
                .putMetadata("Version", "1").build())),
            Status.Code.INVALID_ARGUMENT, "metadata key: \"Version\""),
        Arguments.of("port out of range", List.of(req(Register.newBuilder().setService("web")
                .addEndpoints(EndpointRequest.newBuilder().setPort(70000)).build())),
            Status.Code.INVALID_ARGUMENT, "port: 70000 (expected: 0..65535)"),
        Arguments.of("ready before register", List.of(ready()),
            Status.Code.FAILED_PRECONDITION, "ready before register"),
        Arguments.of("bind_failed before register", List.of(AttachRequest.newBuilder()
                .setBindFailed(BindFailed.newBuilder().setEndpoint("main").setPort(1)).build()),
            Status.Code.FAILED_PRECONDITION, "bind_failed before register"),
        Arguments.of("second register", List.of(req(AttachClient.register("web")),
                req(AttachClient.register("web"))),
            Status.Code.FAILED_PRECONDITION, "a second register"),
        Arguments.of("second ready", List.of(req(AttachClient.register("web")), LISTEN, ready(), ready()),
            Status.Code.FAILED_PRECONDITION, "already live"),
        Arguments.of("bind_failed for an unknown endpoint", List.of(req(AttachClient.register("web")),
                AttachRequest.newBuilder().setBindFailed(BindFailed.newBuilder()
                    .setEndpoint("nope").setPort(1)).build()),
            Status.Code.INVALID_ARGUMENT,
            "bind_failed endpoint: \"nope\" (expected: one of [main])"),
        Arguments.of("empty bind_failed", List.of(req(AttachClient.register("web")),
                AttachRequest.newBuilder().setBindFailed(BindFailed.getDefaultInstance()).build()),
            Status.Code.INVALID_ARGUMENT, "bind_failed port: 0 (expected: "),
        Arguments.of("empty message", List.of(AttachRequest.getDefaultInstance()),
            Status.Code.INVALID_ARGUMENT, "no kind set"),
        Arguments.of("message over 64 KiB", List.of(req(AttachClient.register("web").toBuilder()
                .putMetadata("k", "v".repeat(70_000)).build())),
            Status.Code.RESOURCE_EXHAUSTED, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAttach")
  void attach_withBadInput_failsNamingTheValueAndLeavesOthersAlone(String name,
      List<AttachRequest> messages, Status.Code code, String description) throws Exception {
    AttachClient bad = reg.attach();
    for (AttachRequest m : messages) {
      if (m == LISTEN) {
        bad.awaitAssigned();
        bad.listen();
      } else {
        bad.send(m);
      }
    }

    Status end = skipResponses(bad);

    assertThat(end.getCode()).as(name).isEqualTo(code);
    assertThat(end.getDescription()).as(name).contains(description);
    assertBystanderUntouched();
  }

  @Test
  void attach_beyondMaxInstances_failsResourceExhaustedAndLeavesOthersAlone() throws Exception {
    try (TestRegistry small = TestRegistry.start(dir.resolve("small"), TestPools.take(4).first(), 4,
        b -> b.maxInstances(1))) {
      AttachClient first = small.attach();
      int port = first.attachLive("first");
      AttachClient second = small.attach();

      second.send(AttachClient.register("second"));

      Status end = second.awaitEnd();
      assertThat(end.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(end.getDescription()).contains("instances: 2 (expected: at most 1");
      assertThat(first.isQuiet()).isTrue();
      assertThat(small.blocking().resolve(ResolveRequest.newBuilder().setService("first").build())
          .getTargets(0).getPort()).isEqualTo(port);
    }
  }

  @Test
  void resolve_withBadNameOrUnknownService_failsNamingIt() throws Exception {
    assertCall(() -> reg.blocking().resolve(ResolveRequest.newBuilder().setService("-x").build()),
        Status.Code.INVALID_ARGUMENT, "service: \"-x\"");
    assertCall(() -> reg.blocking().resolve(ResolveRequest.newBuilder().setService("nobody")
        .setEndpoint("http").build()), Status.Code.NOT_FOUND, "\"nobody\" endpoint \"http\"");
    assertCall(() -> reg.blocking().whoHas(WhoHasRequest.newBuilder().setPort(0).build()),
        Status.Code.INVALID_ARGUMENT, "port: 0 (expected: 1..65535)");
    assertCall(() -> reg.blocking().watch(WatchRequest.newBuilder().setService("ok")
        .setEndpoint("Not OK").build()).next(), Status.Code.INVALID_ARGUMENT, "endpoint: \"Not OK\"");
    assertCall(() -> reg.blocking().resolve(ResolveRequest.newBuilder().setService("bystander")
        .setNamespace("-shop").build()), Status.Code.INVALID_ARGUMENT, "namespace: \"-shop\"");
    assertCall(() -> reg.blocking().watch(WatchRequest.newBuilder().setService("bystander")
        .setNamespace("a.b").build()).next(), Status.Code.INVALID_ARGUMENT, "namespace: \"a.b\"");
    assertCall(() -> reg.blocking().list(ListRequest.newBuilder().setNamespace("A").build()),
        Status.Code.INVALID_ARGUMENT, "namespace: \"A\"");
    assertBystanderUntouched();
  }

  private void assertBystanderUntouched() throws Exception {
    assertThat(bystander.isQuiet()).isTrue();
    assertThat(reg.blocking().resolve(ResolveRequest.newBuilder().setService("bystander").build())
        .getTargets(0).getPort()).isEqualTo(bystanderPort);
  }

  private static Status skipResponses(AttachClient client) {
    while (true) {
      try {
        return client.awaitEnd();
      } catch (AssertionError e) {
        if (!e.getMessage().startsWith("expected the stream to end")) {
          throw e;
        }
      }
    }
  }

  private static void assertCall(ThrowingCall call, Status.Code code, String description) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(e.getStatus().getDescription()).contains(description);
    });
  }

  interface ThrowingCall {
    void run() throws Exception;
  }

}
