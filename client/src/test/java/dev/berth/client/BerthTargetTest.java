package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.internal.BerthTarget;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import org.junit.jupiter.api.Test;

class BerthTargetTest {
  @Test
  void parse_serviceOnly_meansMainEndpoint() {
    assertThat(BerthTarget.parse(URI.create("berth:///catalog"))).isEqualTo(new BerthTarget("catalog", "main"));
  }

  @Test
  void parse_serviceAndEndpoint() {
    assertThat(BerthTarget.parse(URI.create("berth:///gateway/http"))).isEqualTo(new BerthTarget("gateway", "http"));
  }

  @Test
  void parse_whenNotAWellFormedBerthTarget_returnsNullInsteadOfThrowing() {
    assertThat(BerthTarget.parse(URI.create("dns:///catalog"))).isNull();
    assertThat(BerthTarget.parse(URI.create("berth://host/catalog"))).isNull();
    assertThat(BerthTarget.parse(URI.create("berth:///Catalog"))).isNull();
    assertThat(BerthTarget.parse(URI.create("berth:///a/b/c"))).isNull();
    assertThat(BerthTarget.parse(URI.create("berth:///"))).isNull();
  }

  @Test
  void parse_namespaceParameter_namesOne_elseTheDefaultGiven() {
    assertThat(BerthTarget.parse(URI.create("berth:///gateway/http?namespace=shop-1"), "x"))
        .isEqualTo(new BerthTarget("gateway", "http", "shop-1"));
    assertThat(BerthTarget.parse(URI.create("berth:///catalog?namespace=default"), "x"))
        .isEqualTo(new BerthTarget("catalog", "main", ""));
    assertThat(BerthTarget.parse(URI.create("berth:///catalog?namespace="), "x"))
        .isEqualTo(new BerthTarget("catalog", "main", ""));
    assertThat(BerthTarget.parse(URI.create("berth:///catalog"), "x"))
        .isEqualTo(new BerthTarget("catalog", "main", "x"));
    assertThat(BerthTarget.parse(URI.create("berth:///catalog?namespace=Shop"), "x")).isNull();
    assertThat(BerthTarget.parse(URI.create(BerthTarget.uri("gateway", "http", "shop-1")), ""))
        .isEqualTo(new BerthTarget("gateway", "http", "shop-1"));
  }

  @Test
  void problem_ofAQuery_namesABadNamespaceOrAnyOtherParameter() {
    assertThat(BerthTarget.problem(URI.create("berth:///catalog?namespace=shop-1"))).isNull();
    assertThat(BerthTarget.problem(URI.create("berth:///catalog?namespace=Shop")))
        .startsWith("namespace: 'Shop' in berth:///catalog?namespace=Shop (expected: 'default' or ''");
    assertThat(BerthTarget.problem(URI.create("berth:///catalog?namespace=a&x=1")))
        .isEqualTo("query: 'namespace=a&x=1' in berth:///catalog?namespace=a&x=1 (expected: none, or namespace=NS)");
    assertThat(BerthTarget.problem(URI.create("berth:///catalog?lb=rr"))).startsWith("query: 'lb=rr'");
  }

  @Test
  void uri_roundTrips() {
    assertThat(BerthTarget.uri("catalog", "main")).isEqualTo("berth:///catalog");
    assertThat(BerthTarget.parse(URI.create(BerthTarget.uri("gateway", "http"))))
        .isEqualTo(new BerthTarget("gateway", "http"));
  }

  @Test
  void problem_namesTheValueAndTheRule() {
    assertThat(BerthTarget.problem(URI.create("berth:///catalog"))).isNull();
    assertThat(BerthTarget.problem(URI.create("berth:///Orders")))
        .isEqualTo("service: 'Orders' in berth:///Orders (expected: a DNS label of 1 to 63 characters: "
            + "lowercase letters, digits and '-', not starting or ending with '-')");
    assertThat(BerthTarget.problem(URI.create("berth:///gateway/HTTP"))).startsWith("endpoint: 'HTTP' in");
    assertThat(BerthTarget.problem(URI.create("berth://host/catalog"))).contains("with no host");
  }

  @Test
  void channel_forAMalformedBerthTarget_failsAtBuildWithTheReason() {
    // without a reason, grpc-java says only "cannot create a NameResolver for berth:///Orders"
    assertThatThrownBy(() -> ManagedChannelBuilder.forTarget("berth:///Orders").usePlaintext().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service: 'Orders' in berth:///Orders (expected: a DNS label of 1 to 63 characters");
    assertThatThrownBy(() -> ManagedChannelBuilder.forTarget("berth:///" + "a".repeat(70)).usePlaintext().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 63 characters");
  }
}
