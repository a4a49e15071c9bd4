package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proto.v1.Assigned;
import dev.berth.proto.v1.BerthsRequest;
import dev.berth.proto.v1.BerthsResponse;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.StickyBerth;
import dev.berth.testing.TestPools;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code Berths} RPC and {@code GET /v1/berths}: every remembered berth of every namespace,
 * live or not, in (namespace, service, endpoint) order, and the pool.
 */
class BerthsTest {

  private static final int POOL = 6;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;

  @Test
  void berths_afterInstancesCameAndWent_listsEachWithItsNamespace_andThePool() throws Exception {
    int first = TestPools.take(POOL).first();
    int orders;
    int shopOrders;
    int http;
    int grpc;
    int metrics;
    try (TestRegistry reg = TestRegistry.start(dir, first, POOL)) {
      metrics = reg.registry.metricsPort();
      AttachClient a = reg.attach();
      orders = a.attachLive("orders");
      AttachClient b = reg.attach();
      shopOrders = b.attachLiveIn("shop", "orders");
      AttachClient c = reg.attach();
      Assigned catalog = c.register(AttachClient.register("catalog", "http", "grpc"));
      c.ready();
      http = catalog.getEndpoints(0).getPort();
      grpc = catalog.getEndpoints(1).getPort();
      for (AttachClient gone : List.of(a, b, c)) {
        gone.complete();
        gone.awaitEnd();
      }

      BerthsResponse berths = reg.blocking().berths(BerthsRequest.getDefaultInstance());

      assertThat(berths.getPoolFirst()).isEqualTo(first);
      assertThat(berths.getPoolLast()).isEqualTo(first + POOL - 1);
      assertThat(berths.getBerthsList()).extracting(BerthsTest::row).containsExactly(
          "/berth/metrics " + List.of(metrics),
          "/catalog/grpc " + List.of(grpc),
          "/catalog/http " + List.of(http),
          "/orders/main " + List.of(orders),
          "shop/orders/main " + List.of(shopOrders));
      assertThat(berths.getBerthsList()).allSatisfy(b2 -> assertThat(b2.hasLastUsed()).isTrue());
    }

    try (TestRegistry reg = TestRegistry.start(dir, first, POOL)) {
      // a registry restarted with nothing live remembers the same berths
      assertThat(reg.blocking().berths(BerthsRequest.getDefaultInstance()).getBerthsList())
          .extracting(BerthsTest::row)
          .contains("/orders/main " + List.of(orders), "shop/orders/main " + List.of(shopOrders));
    }
  }

  @Test
  void berths_withoutToken_isUnauthenticated() throws Exception {
    try (TestRegistry reg = TestRegistry.start(dir, 2)) {
      var stub = RegistryGrpc.newBlockingStub(reg.channelWithoutToken());

      assertThatThrownBy(() -> stub.berths(BerthsRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
      assertThat(get(reg, "/v1/berths", null).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void httpBerths_isTheRpcAsJson_namespaceOnlyWhenNotTheDefault() throws Exception {
    try (TestRegistry reg = TestRegistry.start(dir, 4)) {
      int plain = reg.attach().attachLive("orders");
      int shop = reg.attach().attachLiveIn("shop", "orders");
      int metrics = reg.registry.metricsPort();

      HttpResponse<String> r = get(reg, "/v1/berths", reg.token());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(r.body())
          .startsWith("{\"poolFirst\": " + reg.poolFirst + ", \"poolLast\": " + reg.poolLast
              + ", \"berths\": [\n  {\"service\": \"berth\", \"endpoint\": \"metrics\", \"ports\": ["
              + metrics + "], \"lastUsed\": \"")
          .contains("\n  {\"service\": \"orders\", \"endpoint\": \"main\", \"ports\": [" + plain
              + "], \"lastUsed\": \"")
          .contains("\n  {\"service\": \"orders\", \"namespace\": \"shop\", \"endpoint\": \"main\", "
              + "\"ports\": [" + shop + "], \"lastUsed\": \"")
          .endsWith("\"}\n]}\n");
    }
  }

  /** {@code namespace/service/endpoint [ports]}. */
  private static String row(StickyBerth b) {
    return b.getNamespace() + "/" + b.getService() + "/" + b.getEndpoint() + " " + b.getPortsList();
  }

  private static HttpResponse<String> get(TestRegistry reg, String path, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + reg.registry.metricsPort() + path))
        .timeout(Duration.ofSeconds(5));
    if (token != null) {
      b.header("berth-token", token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
