package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.Register;
import dev.berth.testing.ChildListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Endpoint.listen_address}: the address an instance's listening socket is bound to, as
 * {@code /proc} shows it when the registry checks {@code ready} (and {@code already_bound}), in
 * List and in {@code /v1/instances}. The listeners are python3 children: a real socket on
 * 0.0.0.0 is what a server reachable from other machines has.
 */
class ListenAddressTest {

  @TempDir static Path dir;
  private static TestRegistry reg;
  private ChildListener child;

  @BeforeAll
  static void start() throws Exception {
    reg = TestRegistry.start(dir, 4);
  }

  @AfterAll
  static void stop() {
    reg.close();
  }

  @AfterEach
  void killChild() throws Exception {
    if (child != null) {
      child.close();
    }
  }

  @Test
  void alreadyBound_onAWildcardListener_isListedAs0000() throws Exception {
    child = ChildListener.start("0.0.0.0", 0);

    attachAlreadyBound("open", child);

    Endpoint e = endpointOf("open");
    assertThat(e.getListenAddress()).isEqualTo("0.0.0.0");
    assertThat(e.getHost()).as("still called on loopback").isEqualTo("127.0.0.1");
  }

  @Test
  void alreadyBound_onALoopbackListener_isListedAs127001() throws Exception {
    child = ChildListener.start("127.0.0.1", 0);

    attachAlreadyBound("local", child);

    assertThat(endpointOf("local").getListenAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void alreadyBound_onIpv6Listeners_isListedAsTheKernelShowsThem() throws Exception {
    child = ChildListener.start("::1", 0);
    attachAlreadyBound("six", child);
    ChildListener any = ChildListener.start("::", 0);
    try {
      attachAlreadyBound("sixopen", any);

      assertThat(endpointOf("six").getListenAddress()).isEqualTo("::1");
      assertThat(endpointOf("six").getHost()).isEqualTo("::1");
      assertThat(endpointOf("sixopen").getListenAddress()).isEqualTo("::");
    } finally {
      any.close();
    }
  }

  @Test
  void ready_onAWildcardListenerOfAChild_isListedAs0000_alsoInTheJsonView() throws Exception {
    // this JVM registers; the socket is its child's: the registry's descendant check finds it
    AttachClient lease = reg.attach();
    int port = lease.register(AttachClient.register("wide")).getEndpoints(0).getPort();
    child = ChildListener.start("0.0.0.0", port);

    lease.ready();

    assertThat(endpointOf("wide").getListenAddress()).isEqualTo("0.0.0.0");
    String json = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + reg.registry.metricsPort() + "/v1/instances"))
        .header("berth-token", reg.token()).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(json).contains("{\"service\": \"wide\", \"endpoint\": \"main\", \"address\": "
        + "\"127.0.0.1:" + port + "\", \"listenAddress\": \"0.0.0.0\", \"port\": " + port + ",");
    assertThat(json).contains("{\"service\": \"berth\", \"endpoint\": \"metrics\", \"address\": "
        + "\"127.0.0.1:" + reg.registry.metricsPort() + "\", \"listenAddress\": null,");
  }

  /** Registers {@code service} as {@code listener}'s process, on its port, already bound; live. */
  private static void attachAlreadyBound(String service, ChildListener listener) throws Exception {
    AttachClient lease = reg.attach();
    lease.register(Register.newBuilder().setService(service).setPid(listener.pid())
        .addEndpoints(EndpointRequest.newBuilder().setPort(listener.port()).setAlreadyBound(true))
        .build());
    lease.ready(); // this JVM's own binds of the port fail: the child holds it
  }

  private static Endpoint endpointOf(String service) throws Exception {
    for (Instance i : reg.blocking().list(ListRequest.getDefaultInstance()).getInstancesList()) {
      if (i.getService().equals(service)) {
        return i.getEndpoints(0);
      }
    }
    throw new AssertionError("no live instance of " + service);
  }
}
