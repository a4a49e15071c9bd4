package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the demo reads out of gateway's JSON: the shapes the gateway sample answers with. */
class GatewayJsonTest {

  @Test
  void clientCalls_keepsOkMethodsWithTenCallsOrMore_sortedOneLineEach() {
    String stats = "{\"calls\": ["
        + "{\"service\": \"orders\", \"method\": \"berth.samples.Orders/PlaceOrder\", \"status\": \"OK\","
        + " \"count\": 76, \"p50_ms\": 19.2, \"p99_ms\": 226.0},"
        + "{\"service\": \"catalog\", \"method\": \"berth.samples.Catalog/ListProducts\", \"status\": \"OK\","
        + " \"count\": 10, \"p50_ms\": 5.09, \"p99_ms\": 8.28},"
        + "{\"service\": \"orders\", \"method\": \"berth.samples.Orders/PlaceOrder\", \"status\": \"UNAVAILABLE\","
        + " \"count\": 40, \"p50_ms\": 1, \"p99_ms\": 2},"
        + "{\"service\": \"catalog\", \"method\": \"berth.samples.Catalog/GetPrice\", \"status\": \"OK\","
        + " \"count\": 9, \"p50_ms\": 1, \"p99_ms\": 2}"
        + "], \"uptime\": 12}";

    assertThat(GatewayJson.clientCalls(stats)).containsExactly(
        "catalog.ListProducts p50 5.09 ms, p99 8.28 ms (10 calls)",
        "orders.PlaceOrder p50 19 ms, p99 226 ms (76 calls)");
  }

  @Test
  void clientCalls_ofSomethingNotJson_isEmpty() {
    assertThat(GatewayJson.clientCalls("<html>502</html>")).isEmpty();
    assertThat(GatewayJson.clientCalls("{}")).isEmpty();
  }

  @Test
  void error_isStatusAndError_elseTheBodyAbbreviated() {
    assertThat(GatewayJson.error(
        "{\"status\": \"UNAVAILABLE\", \"error\": \"no live instance of 'orders'\"}"))
        .isEqualTo("UNAVAILABLE: no live instance of 'orders'");
    assertThat(GatewayJson.error("x".repeat(100))).isEqualTo("x".repeat(67) + "...");
    assertThat(GatewayJson.error("short")).isEqualTo("short");
  }

  @Test
  void abbreviate_keepsShortStringsWhole() {
    assertThat(GatewayJson.abbreviate("abcdef", 6)).isEqualTo("abcdef");
    assertThat(GatewayJson.abbreviate("abcdefg", 6)).isEqualTo("abc...");
  }
}
