package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.berth.proto.v1.Assigned;
import dev.berth.proto.v1.ConflictsRequest;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.PortConflict;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.proto.v1.ResolveResponse;
import dev.berth.proto.v1.Target;
import dev.berth.proto.v1.WhoHasRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookups from a namespace over real loopback gRPC: a namespace's own instances when it has
 * any, else the default namespace's, never another's. One registry for the class: each test
 * uses service names of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NamespaceLookupTest {

  private TestRegistry reg;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    reg = TestRegistry.start(dir, 24);
  }

  @AfterAll
  void stop() {
    reg.close();
  }

  @Test
  void resolve_fromANamespace_givesItsOwnInstances_elseTheDefaults_neverAnothers() throws Exception {
    AttachClient shared = reg.attach();
    int sharedPort = shared.attachLive("db");
    int ownPort = reg.attach().attachLiveIn("shop-a", "db");

    ResolveResponse own = resolve("shop-a", "db");
    ResolveResponse fallback = resolve("shop-b", "db");
    ResolveResponse plain = resolve("", "db");

    assertThat(ports(own.getTargetsList())).containsExactly(ownPort);
    assertThat(own.getNamespace()).isEqualTo("shop-a");
    assertThat(ports(fallback.getTargetsList())).containsExactly(sharedPort);
    assertThat(fallback.getNamespace()).isEmpty();
    assertThat(ports(plain.getTargetsList())).as("the default namespace sees no stack's instance")
        .containsExactly(sharedPort);
    assertThat(plain.getNamespace()).isEmpty();

    shared.complete();
    shared.awaitEnd();

    assertThat(ports(resolve("shop-a", "db").getTargetsList())).containsExactly(ownPort);
    assertResolveFails("shop-b", "db", Status.Code.NOT_FOUND,
        "no live instance of service \"db\" endpoint \"main\" in namespace \"shop-b\" or the "
            + "default namespace");
    assertResolveFails("", "db", Status.Code.NOT_FOUND,
        "no live instance of service \"db\" endpoint \"main\"");
  }

  @Test
  void theWordDefault_isTheDefaultNamespace_notOneOfThatName() throws Exception {
    int port = reg.attach().attachLiveIn("default", "word-db");

    assertThat(ports(resolve("", "word-db").getTargetsList())).containsExactly(port);
    assertThat(list(ListRequest.getDefaultInstance())).filteredOn(i -> i.getService().equals("word-db"))
        .singleElement().satisfies(i -> assertThat(i.getNamespace()).isEmpty());
    assertThat(list(ListRequest.newBuilder().setNamespace("default").build()))
        .as("List of 'default' is the default namespace's")
        .extracting(Instance::getNamespace).containsOnly("");
    assertThat(ports(resolve("default", "word-db").getTargetsList())).containsExactly(port);
  }

  @Test
  void twoNamespaces_withTheSameService_neverSeeEachOther() throws Exception {
    int one = reg.attach().attachLiveIn("one", "orders");
    int two = reg.attach().attachLiveIn("two", "orders");
    WatchClient watchOne = reg.watchIn("one", "orders", "");
    WatchClient watchTwo = reg.watchIn("two", "orders", "");

    assertThat(one).isNotEqualTo(two);
    assertThat(ports(resolve("one", "orders").getTargetsList())).containsExactly(one);
    assertThat(ports(resolve("two", "orders").getTargetsList())).containsExactly(two);
    assertResolveFails("", "orders", Status.Code.NOT_FOUND, "\"orders\"");
    assertThat(watchOne.next()).matches(WatchClient.isExactly("one", one));
    assertThat(watchTwo.next()).matches(WatchClient.isExactly("two", two));
    assertThat(list(ListRequest.newBuilder().setNamespace("one").build()))
        .extracting(Instance::getService, Instance::getNamespace)
        .containsExactly(tuple("orders", "one"));
  }

  @Test
  void watch_fromANamespace_switchesToItsOwnInstancesAndBack() throws Exception {
    WatchClient watch = reg.watchIn("shop", "cart", "");
    assertThat(watch.next()).as("none anywhere: the request's namespace")
        .matches(WatchClient.isExactly("shop"));

    AttachClient shared = reg.attach();
    int sharedPort = shared.attachLive("cart");
    assertThat(watch.next()).matches(WatchClient.isExactly("", sharedPort));

    AttachClient own = reg.attach();
    int ownPort = own.attachLiveIn("shop", "cart");
    assertThat(watch.next()).as("the first of its own appears")
        .matches(WatchClient.isExactly("shop", ownPort));

    // a change in the default namespace is no change for a namespace with instances of its own:
    // the next snapshot this watch gets is its own namespace's next change
    AttachClient shared2 = reg.attach();
    int shared2Port = shared2.attachLive("cart");
    AttachClient own2 = reg.attach();
    int own2Port = own2.attachLiveIn("shop", "cart");
    assertThat(watch.next()).matches(WatchClient.isExactly("shop", ownPort, own2Port));

    own.complete();
    own.awaitEnd();
    assertThat(watch.next()).matches(WatchClient.isExactly("shop", own2Port));
    own2.complete();
    own2.awaitEnd();
    assertThat(watch.next()).as("the last of its own goes")
        .matches(WatchClient.isExactly("", sharedPort, shared2Port));

    shared.complete();
    shared.awaitEnd();
    assertThat(watch.next()).as("the default namespace changes while it has none")
        .matches(WatchClient.isExactly("", shared2Port));
    shared2.complete();
    shared2.awaitEnd();
    assertThat(watch.next()).matches(WatchClient.isExactly("shop"));
  }

  @Test
  void watch_fromTheDefaultNamespace_neverSeesAStacksInstances() throws Exception {
    WatchClient watch = reg.watch("search", "");
    assertThat(watch.next()).matches(WatchClient.isExactly(""));

    reg.attach().attachLiveIn("shop", "search");
    int shared = reg.attach().attachLive("search");

    assertThat(watch.next()).matches(WatchClient.isExactly("", shared));
  }

  @Test
  void list_showsEveryNamespace_orOnlyTheOneAskedFor_orOnlyTheDefault() throws Exception {
    reg.attach().attachLive("catalog");
    reg.attach().attachLiveIn("list-a", "catalog");
    reg.attach().attachLiveIn("list-b", "catalog");

    List<Instance> all = list(ListRequest.getDefaultInstance());
    List<Instance> a = list(ListRequest.newBuilder().setNamespace("list-a").build());
    List<Instance> defaults = list(ListRequest.newBuilder().setDefaultOnly(true).build());

    assertThat(all).filteredOn(i -> i.getService().equals("catalog"))
        .extracting(Instance::getNamespace).containsExactly("", "list-a", "list-b");
    assertThat(a).extracting(Instance::getService, Instance::getNamespace)
        .containsExactly(tuple("catalog", "list-a"));
    assertThat(defaults).extracting(Instance::getNamespace).containsOnly("");
    assertThat(defaults).extracting(Instance::getService).contains("berth", "catalog");
    assertThatThrownBy(() -> list(ListRequest.newBuilder().setNamespace("list-a")
        .setDefaultOnly(true).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription())
              .isEqualTo("namespace: \"list-a\" with default_only: true (expected: one of them)");
        });
  }

  @Test
  void whoHasAndConflicts_nameTheNamespace() throws Exception {
    AttachClient pay = reg.attach();
    Assigned first = pay.register(AttachClient.registerIn("shop", "pay"));
    int refused = first.getEndpoints(0).getPort();
    Assigned second = pay.bindFailed("main", refused);
    int port = second.getEndpoints(0).getPort();
    pay.ready();

    assertThat(reg.blocking().whoHas(WhoHasRequest.newBuilder().setPort(port).build())
        .getBerth().getNamespace()).isEqualTo("shop");
    assertThat(reg.blocking().conflicts(ConflictsRequest.getDefaultInstance()).getConflictsList())
        .filteredOn(c -> c.getService().equals("pay"))
        .extracting(PortConflict::getPort, PortConflict::getNamespace)
        .containsExactly(tuple(refused, "shop"));
  }

  private ResolveResponse resolve(String namespace, String service) throws Exception {
    return reg.blocking().resolve(ResolveRequest.newBuilder().setService(service)
        .setNamespace(namespace).build());
  }

  private void assertResolveFails(String namespace, String service, Status.Code code,
      String description) {
    assertThatThrownBy(() -> resolve(namespace, service))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(e.getStatus().getDescription()).contains(description);
        });
  }

  private List<Instance> list(ListRequest request) throws Exception {
    return reg.blocking().list(request).getInstancesList();
  }

  private static List<Integer> ports(List<Target> targets) {
    return targets.stream().map(Target::getPort).toList();
  }
}
