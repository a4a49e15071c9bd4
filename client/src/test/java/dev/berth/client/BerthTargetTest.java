package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.client.internal.BerthTarget;
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
  void uri_roundTrips() {
    assertThat(BerthTarget.uri("catalog", "main")).isEqualTo("berth:///catalog");
    assertThat(BerthTarget.parse(URI.create(BerthTarget.uri("gateway", "http"))))
        .isEqualTo(new BerthTarget("gateway", "http"));
  }
}
