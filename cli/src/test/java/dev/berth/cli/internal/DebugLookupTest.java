package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.BerthsResponse;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListResponse;
import dev.berth.proto.v1.StickyBerth;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DebugLookupTest {

  private static Instance instance(String namespace, String service, String id, int debugPort, String agent) {
    Instance.Builder b = Instance.newBuilder().setNamespace(namespace).setService(service).setInstanceId(id)
        .setPid(100).addEndpoints(Endpoint.newBuilder().setName("main").setHost("127.0.0.1").setPort(debugPort - 1))
        .addEndpoints(Endpoint.newBuilder().setName("debug").setHost("127.0.0.1").setPort(debugPort));
    if (agent != null) {
      b.putMetadata("debug", agent);
    }
    return b.build();
  }

  private static StickyBerth berth(String namespace, String service, String endpoint, int... ports) {
    StickyBerth.Builder b = StickyBerth.newBuilder().setNamespace(namespace).setService(service).setEndpoint(endpoint);
    for (int p : ports) {
      b.addPorts(p);
    }
    return b.build();
  }

  @Test
  void live_theNamespacesOwnWhenItHasAny_elseTheDefaults_withTheRuntimeFromMetadata() {
    ListResponse list = ListResponse.newBuilder()
        .addInstances(instance("", "web", "web-1", 41001, "inspector"))
        .addInstances(instance("shop-1", "web", "web-2", 41011, "jdwp"))
        .addInstances(instance("", "orders", "orders-1", 41021, null))
        .build();

    assertThat(DebugLookup.live(list, "web", "shop-1")).containsExactly(
        new DebugLookup.Live("127.0.0.1:41011", 41011, Optional.of(DebugRuntime.JAVA), 100, "web-2"));
    assertThat(DebugLookup.live(list, "web", "")).containsExactly(
        new DebugLookup.Live("127.0.0.1:41001", 41001, Optional.of(DebugRuntime.NODE), 100, "web-1"));
    assertThat(DebugLookup.live(list, "orders", "shop-1")).containsExactly(
        new DebugLookup.Live("127.0.0.1:41021", 41021, Optional.empty(), 100, "orders-1"));
    assertThat(DebugLookup.live(list, "web", "other-2")).extracting(DebugLookup.Live::instanceId)
        .containsExactly("web-1");
    assertThat(DebugLookup.live(list, "pay", "")).isEmpty();
  }

  @Test
  void remembered_theNamespacesFirstPort_elseTheDefaults_neverAnotherEndpointOrNamespace() {
    BerthsResponse berths = BerthsResponse.newBuilder()
        .addBerths(berth("", "web", "debug", 41001, 41002))
        .addBerths(berth("shop-1", "web", "debug", 41011))
        .addBerths(berth("shop-1", "orders", "main", 41020))
        .addBerths(berth("other-2", "orders", "debug", 41030))
        .build();

    assertThat(DebugLookup.remembered(berths, "web", "shop-1")).isEqualTo(OptionalInt.of(41011));
    assertThat(DebugLookup.remembered(berths, "web", "")).isEqualTo(OptionalInt.of(41001));
    assertThat(DebugLookup.remembered(berths, "web", "other-2")).isEqualTo(OptionalInt.of(41001));
    assertThat(DebugLookup.remembered(berths, "orders", "shop-1")).isEmpty();
  }
}
