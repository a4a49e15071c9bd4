package dev.berth.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceNameTest {

  private static ServiceName parse(String text) {
    return ServiceName.parse(text, (part, value) -> new IllegalArgumentException(part + "=" + value));
  }

  @Test
  void parse_withoutEndpoint_meansMain() {
    assertThat(parse("catalog")).isEqualTo(new ServiceName("catalog", ServiceName.MAIN));
    assertThat(parse("catalog")).hasToString("catalog");
    assertThat(parse("gateway/http")).isEqualTo(new ServiceName("gateway", "http"));
    assertThat(parse("gateway/http")).hasToString("gateway/http");
    assertThat(parse("gateway/main")).hasToString("gateway");
  }

  @Test
  void parse_refusesTheFirstBadPart_throughTheCallersRefusal() {
    assertThatThrownBy(() -> parse("Orders/HTTP")).hasMessage("service=Orders");
    assertThatThrownBy(() -> parse("orders/")).hasMessage("endpoint=");
    assertThatThrownBy(() -> parse("a/b/c")).hasMessage("endpoint=b/c");
    assertThatThrownBy(() -> parse("a".repeat(64))).hasMessage("service=" + "a".repeat(64));
  }
}
