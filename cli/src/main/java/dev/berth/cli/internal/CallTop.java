package dev.berth.cli.internal;

import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.client.internal.Addresses;
import dev.berth.local.internal.CallEdges;
import dev.berth.local.internal.Latencies;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code berth top} measures: every registered {@code metrics} endpoint is scraped twice,
 * an interval apart, and the client call timers are turned into one row per edge. Used from one
 * thread.
 */
final class CallTop {

  private static final Duration SCRAPE_TIMEOUT = Duration.ofSeconds(2);

  private final Berth berth;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(SCRAPE_TIMEOUT)
      .build();

  CallTop(Berth berth) {
    this.berth = berth;
  }

  /** Scrapes every live {@code metrics} endpoint now; one that does not answer is skipped. */
  CallEdges scrape() {
    CallEdges edges = new CallEdges();
    List<Instance> instances = InternalBerth.registryStub(berth).withDeadlineAfter(5, TimeUnit.SECONDS)
        .list(ListRequest.getDefaultInstance()).getInstancesList();
    for (Instance instance : instances) {
      for (Endpoint e : instance.getEndpointsList()) {
        Address address = Addresses.of(e);
        if (e.getName().equals("metrics") && !address.isUnix()) { // java.net.http speaks TCP only
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + address + "/metrics"))
                .timeout(SCRAPE_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
              edges.add(instance.getInstanceId(), r.body());
            }
          } catch (java.io.IOException | IllegalArgumentException ex) {
            // gone between List and the scrape, or not Prometheus text: not an edge
          } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return edges;
          }
        }
      }
    }
    return edges;
  }

  /** Rows for {@code interval} from {@code earlier} (taken {@code interval} ago) to a scrape now. */
  List<CallEdges.Row> since(CallEdges earlier, long earlierNanos) {
    CallEdges now = scrape();
    return now.since(earlier, Math.max(1e-3, (System.nanoTime() - earlierNanos) / 1e9));
  }

  /** Scrapes, waits {@code interval}, scrapes again: the rows of that interval. */
  List<CallEdges.Row> measure(Duration interval) throws InterruptedException {
    long t0 = System.nanoTime();
    CallEdges first = scrape();
    Thread.sleep(interval.toMillis());
    return since(first, t0);
  }

  /** CALLER CALLEE METHOD CALLS/S ERR% P50 P99; the method without its gRPC service prefix. */
  static void print(List<CallEdges.Row> rows, PrintWriter out, String indent) {
    if (rows.isEmpty()) {
      out.println(indent + "no calls seen yet (berth top reads the metrics endpoints of live "
          + "instances: exposeMetrics() in BerthServer or Claim)");
      out.flush();
      return;
    }
    TextTable table = new TextTable("CALLER", "CALLEE", "METHOD", "CALLS/S", "ERR%", "P50", "P99");
    for (CallEdges.Row r : rows) {
      String method = r.edge().method();
      table.row(r.edge().caller(), r.edge().callee(), method.substring(method.lastIndexOf('/') + 1),
          String.format("%.1f", r.callsPerSecond()),
          Double.isNaN(r.errorPercent()) ? "-" : String.format("%.1f", r.errorPercent()),
          latency(r.p50()), latency(r.p99()));
    }
    table.print(out, indent);
  }

  private static String latency(double seconds) {
    return Double.isNaN(seconds) ? "-" : Latencies.millis(seconds * 1000);
  }
}
