package dev.berth.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallEdgesTest {

  private static String scrape(int ok, int failed) {
    String labels = "caller=\"gateway\",method=\"orders.PlaceOrder\",service=\"orders\"";
    return "# TYPE berth_client_call_duration_seconds histogram\n"
        + "berth_client_call_duration_seconds_count{" + labels + ",status=\"OK\"} " + ok + "\n"
        + "berth_client_call_duration_seconds_count{" + labels + ",status=\"UNAVAILABLE\"} " + failed + "\n";
  }

  @Test
  void since_whenAnInstanceRestarted_countsItsNewCallsNeverANegativeRate() {
    CallEdges earlier = new CallEdges().add("gateway-1", scrape(100, 0));
    // gateway-1 was killed and came back as gateway-2, counting from zero
    CallEdges now = new CallEdges().add("gateway-2", scrape(5, 1));

    List<CallEdges.Row> rows = now.since(earlier, 1.0);

    assertThat(rows).singleElement().satisfies(r -> {
      assertThat(r.edge()).isEqualTo(new CallEdges.Edge("gateway", "orders", "orders.PlaceOrder"));
      assertThat(r.callsPerSecond()).isEqualTo(6.0);
      assertThat(r.errorPercent()).isCloseTo(100.0 / 6, org.assertj.core.data.Offset.offset(1e-9));
    });
  }

  @Test
  void since_sumsTheDeltasOfEveryInstanceOfAnEdge() {
    CallEdges earlier = new CallEdges().add("gateway-1", scrape(100, 0)).add("gateway-2", scrape(50, 0));
    CallEdges now = new CallEdges().add("gateway-1", scrape(110, 0)).add("gateway-2", scrape(70, 2));

    assertThat(now.since(earlier, 2.0)).singleElement()
        .satisfies(r -> assertThat(r.callsPerSecond()).isEqualTo(16.0));
  }

  /** {@code calls} calls of {@code method}, all in the bucket up to {@code le} seconds (of 0.01, 1). */
  private static String histogram(String method, int calls, double le) {
    String labels = "caller=\"gateway\",method=\"" + method + "\",service=\"orders\",status=\"OK\"";
    return "berth_client_call_duration_seconds_bucket{" + labels + ",le=\"0.01\"} " + (le <= 0.01 ? calls : 0) + "\n"
        + "berth_client_call_duration_seconds_bucket{" + labels + ",le=\"1.0\"} " + calls + "\n"
        + "berth_client_call_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " + calls + "\n"
        + "berth_client_call_duration_seconds_count{" + labels + "} " + calls + "\n";
  }

  @Test
  void pairsSince_sumsTheMethodsBucketsBeforeTakingQuantiles() {
    CallEdges earlier = new CallEdges();
    CallEdges now = new CallEdges().add("gateway-1",
        histogram("orders.List", 90, 0.01) + histogram("orders.Place", 10, 1.0));

    List<CallEdges.Row> pairs = now.pairsSince(earlier, 1.0);

    assertThat(pairs).singleElement().satisfies(r -> {
      assertThat(r.edge()).isEqualTo(new CallEdges.Edge("gateway", "orders", ""));
      assertThat(r.callsPerSecond()).isEqualTo(100.0);
      assertThat(r.errorPercent()).isZero();
      // rank 50 of 100 in the first bucket, (0, 10 ms]: 50/90 of its width; the methods'
      // medians (5.6 ms and 505 ms) would average to about 255 ms
      assertThat(r.p50()).isCloseTo(0.01 * 50 / 90, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(r.p99()).isGreaterThan(0.01);
    });
    assertThat(now.since(earlier, 1.0)).extracting(r -> r.edge().method())
        .containsExactly("orders.List", "orders.Place");
  }
}
