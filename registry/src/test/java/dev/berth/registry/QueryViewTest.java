package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.local.StateDir;
import dev.berth.proto.v1.ListRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token-protected JSON view of the query verbs on the registry's HTTP side
 * ({@code /v1/resolve}, {@code /v1/instances}), over real sockets, and its address in
 * registry.json.
 */
class QueryViewTest {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;
  private TestRegistry reg;

  @BeforeEach
  void start() throws Exception {
    reg = TestRegistry.start(dir, 4);
  }

  @AfterEach
  void stop() {
    reg.close();
  }

  @Test
  void registryJson_namesTheHttpSide() throws Exception {
    assertThat(StateDir.of(reg.registry.stateDir()).readRegistryAddresses().orElseThrow().http())
        .hasValueSatisfying(a -> {
          assertThat(a.getAddress().isLoopbackAddress()).isTrue();
          assertThat(a.getPort()).isEqualTo(reg.registry.metricsPort());
        });
  }

  @Test
  void resolve_withToken_givesTheAddressesOfTheLiveInstances() throws Exception {
    int port = reg.attach().attachLive("orders");

    HttpResponse<String> ok = get("/v1/resolve?service=orders", reg.token());
    HttpResponse<String> named = get("/v1/resolve?service=orders&endpoint=main", reg.token());

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(ok.body()).isEqualTo("{\"service\": \"orders\", \"endpoint\": \"main\", "
        + "\"addresses\": [\"127.0.0.1:" + port + "\"]}\n");
    assertThat(named.body()).isEqualTo(ok.body());
  }

  @Test
  void resolve_ofNoneLive_is404_andOfABadName_is400NamingIt() throws Exception {
    HttpResponse<String> none = get("/v1/resolve?service=nobody&endpoint=http", reg.token());
    HttpResponse<String> bad = get("/v1/resolve?service=Bad_Name", reg.token());

    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).isEqualTo("no live instance of service \"nobody\" endpoint \"http\"\n");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).startsWith("service: \"Bad_Name\" (expected: ").endsWith(")\n")
        .hasLineCount(1);
  }

  @Test
  void instances_withToken_listsEveryLiveEndpointAsLsJsonDoes() throws Exception {
    int port = reg.attach().attachLive("catalog");

    HttpResponse<String> list = get("/v1/instances", reg.token());

    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).startsWith("[\n  {\"service\": \"berth\", \"endpoint\": \"metrics\", "
            + "\"address\": \"127.0.0.1:" + reg.registry.metricsPort() + "\"")
        .contains("\n  {\"service\": \"catalog\", \"endpoint\": \"main\", \"address\": \"127.0.0.1:"
            + port + "\", \"listenAddress\": \"127.0.0.1\", \"port\": " + port + ", \"pid\": ")
        .containsPattern("\"liveSince\": \"20\\d\\d-\\d\\d-\\d\\dT[0-9:.]+Z\"}\n]\n$");
  }

  @Test
  void resolve_withANamespace_givesItsOwn_elseTheDefaults_andSaysWhich() throws Exception {
    AttachClient shared = reg.attach();
    int sharedPort = shared.attachLive("db");
    int ownPort = reg.attach().attachLiveIn("shop", "db");

    HttpResponse<String> own = get("/v1/resolve?service=db&namespace=shop", reg.token());
    HttpResponse<String> fallback = get("/v1/resolve?service=db&namespace=other", reg.token());
    HttpResponse<String> plain = get("/v1/resolve?service=db", reg.token());
    HttpResponse<String> bad = get("/v1/resolve?service=db&namespace=Shop", reg.token());

    assertThat(own.body()).isEqualTo("{\"service\": \"db\", \"endpoint\": \"main\", "
        + "\"namespace\": \"shop\", \"addresses\": [\"127.0.0.1:" + ownPort + "\"]}\n");
    assertThat(fallback.body()).isEqualTo("{\"service\": \"db\", \"endpoint\": \"main\", "
        + "\"addresses\": [\"127.0.0.1:" + sharedPort + "\"]}\n");
    assertThat(plain.body()).isEqualTo(fallback.body());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).startsWith("namespace: \"Shop\" (expected: ").hasLineCount(1);

    shared.complete();
    shared.awaitEnd();
    HttpResponse<String> none = get("/v1/resolve?service=db&namespace=other", reg.token());
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.body()).isEqualTo("no live instance of service \"db\" endpoint \"main\" "
        + "in namespace \"other\" or the default namespace\n");
  }

  @Test
  void instances_nameTheNamespace_andFilterByIt() throws Exception {
    int plain = reg.attach().attachLive("catalog");
    int shop = reg.attach().attachLiveIn("shop", "catalog");
    String shopRow = "  {\"service\": \"catalog\", \"namespace\": \"shop\", \"endpoint\": \"main\", "
        + "\"address\": \"127.0.0.1:" + shop + "\", \"listenAddress\": \"127.0.0.1\", \"port\": " + shop
        + ", \"pid\": ";
    String plainRow = "  {\"service\": \"catalog\", \"endpoint\": \"main\", \"address\": \"127.0.0.1:"
        + plain + "\"";

    String all = get("/v1/instances", reg.token()).body();
    String onlyShop = get("/v1/instances?namespace=shop", reg.token()).body();
    String onlyDefault = get("/v1/instances?default_only=true", reg.token()).body();
    HttpResponse<String> both = get("/v1/instances?namespace=shop&default_only=true", reg.token());
    HttpResponse<String> notBoolean = get("/v1/instances?default_only=yes", reg.token());

    assertThat(all).contains(plainRow, shopRow);
    assertThat(onlyShop).startsWith("[\n" + shopRow).doesNotContain(plainRow, "\"berth\"");
    assertThat(onlyDefault).contains(plainRow, "\"berth\"").doesNotContain("\"namespace\"");
    assertThat(both.statusCode()).isEqualTo(400);
    assertThat(both.body()).isEqualTo(
        "namespace: \"shop\" with default_only: true (expected: one of them)\n");
    assertThat(notBoolean.statusCode()).isEqualTo(400);
    assertThat(notBoolean.body()).isEqualTo("default_only: \"yes\" (expected: true or false)\n");
  }

  @Test
  void sd_labelsATargetOfANamespaceWithIt() throws Exception {
    AttachClient plain = reg.attach();
    plain.register(AttachClient.register("web", "metrics"));
    plain.ready();
    AttachClient shop = reg.attach();
    int shopPort = shop.register(AttachClient.registerIn("shop", "web", "metrics"))
        .getEndpoints(0).getPort();
    shop.ready();

    String sd = get("/sd", null).body();

    assertThat(sd).contains("{\"targets\":[\"127.0.0.1:" + shopPort + "\"],\"labels\":{"
        + "\"service\":\"web\",\"instance\":\"web-", "\",\"namespace\":\"shop\"}}");
    assertThat(sd.split("\"namespace\"", -1)).as("one target has a namespace").hasSize(2);
  }

  @Test
  void views_withoutOrWithAWrongToken_are401WithOneLine_andDoNotLeakTheToken() throws Exception {
    String tokenFile = reg.registry.stateDir().resolve("token").toString();
    for (String path : new String[] {"/v1/instances", "/v1/resolve?service=berth&endpoint=metrics"}) {
      HttpResponse<String> missing = get(path, null);
      HttpResponse<String> wrong = get(path, "0".repeat(64));
      HttpResponse<String> prefix = get(path, reg.token().substring(0, 63));

      assertThat(missing.statusCode()).as(path).isEqualTo(401);
      assertThat(missing.body()).isEqualTo("missing header berth-token (expected: the contents of "
          + tokenFile + ")\n");
      assertThat(wrong.statusCode()).as(path).isEqualTo(401);
      assertThat(wrong.body()).isEqualTo("wrong berth-token (expected: the contents of "
          + tokenFile + ")\n").doesNotContain(reg.token());
      assertThat(prefix.statusCode()).as(path).isEqualTo(401);
    }
  }

  @Test
  void pathsTheViewsOnlyPrefix_are404() throws Exception {
    for (String path : new String[] {"/v1/resolvex?service=berth", "/v1/instances/berth"}) {
      HttpResponse<String> other = get(path, reg.token());

      assertThat(other.statusCode()).as(path).isEqualTo(404);
      assertThat(other.body()).as(path).hasLineCount(1);
    }
  }

  @Test
  void views_refuseOtherMethods_andChangeNothing() throws Exception {
    reg.attach().attachLive("orders");
    int before = reg.blocking().list(ListRequest.getDefaultInstance()).getInstancesCount();

    HttpResponse<String> post = HTTP.send(request("/v1/instances", reg.token())
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> delete = HTTP.send(request("/v1/resolve?service=orders", reg.token())
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET");
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(reg.blocking().list(ListRequest.getDefaultInstance()).getInstancesCount()).isEqualTo(before);
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + reg.registry.metricsPort() + path))
        .timeout(Duration.ofSeconds(5));
    if (token != null) {
      b.header("berth-token", token);
    }
    return b;
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return HTTP.send(request(path, token).build(), HttpResponse.BodyHandlers.ofString());
  }
}
