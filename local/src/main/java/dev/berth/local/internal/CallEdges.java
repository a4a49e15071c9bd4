package dev.berth.local.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The client call timers ({@code berth.client.call.duration}) of some instances at one moment,
 * per edge (caller, callee, method) and per instance. Built from Prometheus text; {@link #since}
 * an earlier one gives what happened in between, per instance first, so that an instance that
 * restarted (its counters back at zero) or went away never makes an edge's count go down.
 * {@code berth top} prints its rows; the registry's dashboard sends them, and the rows of each
 * (caller, callee) over all its methods, as its {@code edges} event. Not thread-safe.
 */
public final class CallEdges {

  public static final String COUNT = "berth_client_call_duration_seconds_count";
  public static final String BUCKET = "berth_client_call_duration_seconds_bucket";

  /** Who called whom, how. */
  public record Edge(String caller, String callee, String method) implements Comparable<Edge> {
    @Override
    public int compareTo(Edge o) {
      return (caller + ' ' + callee + ' ' + method).compareTo(o.caller + ' ' + o.callee + ' ' + o.method);
    }
  }

  /** The counts of one edge: all calls, failed calls, and cumulative buckets (le seconds to count). */
  public static final class Counts {
    double calls;
    double errors;
    final TreeMap<Double, Double> buckets = new TreeMap<>();

    /** What was counted since {@code earlier}; all of this when the counters were reset since. */
    Counts minus(Counts earlier) {
      if (earlier == null || calls < earlier.calls) {
        return this; // a new process: everything it counted is new
      }
      Counts d = new Counts();
      d.calls = calls - earlier.calls;
      d.errors = errors - earlier.errors;
      buckets.forEach((le, n) -> d.buckets.put(le, n - earlier.buckets.getOrDefault(le, 0.0)));
      return d;
    }

    void addAll(Counts other) {
      calls += other.calls;
      errors += other.errors;
      other.buckets.forEach((le, n) -> buckets.merge(le, n, Double::sum));
    }

    /** The {@code q} quantile in seconds, interpolated in its bucket; NaN without calls. */
    public double quantile(double q) {
      double total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
      if (total <= 0) {
        return Double.NaN;
      }
      double rank = q * total;
      double lowerLe = 0;
      double lowerCount = 0;
      for (Map.Entry<Double, Double> b : buckets.entrySet()) {
        if (b.getValue() >= rank) {
          if (b.getKey().isInfinite()) {
            return lowerLe; // beyond the last finite bucket: its bound is all we know
          }
          double inBucket = b.getValue() - lowerCount;
          double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
          return lowerLe + (b.getKey() - lowerLe) * fraction;
        }
        lowerLe = b.getKey();
        lowerCount = b.getValue();
      }
      return lowerLe;
    }
  }

  private final Map<Edge, Map<String, Counts>> edges = new TreeMap<>();

  /** Adds the client call timers found in the Prometheus text of instance {@code source}. */
  public CallEdges add(String source, String prometheusText) {
    for (PromText.Sample s : PromText.parse(prometheusText)) {
      boolean count = s.name().equals(COUNT);
      if (!count && !s.name().equals(BUCKET)) {
        continue;
      }
      String caller = s.label("caller").isEmpty() ? "unknown" : s.label("caller");
      Edge edge = new Edge(caller, s.label("service"), s.label("method"));
      Counts c = edges.computeIfAbsent(edge, e -> new TreeMap<>()).computeIfAbsent(source, x -> new Counts());
      if (count) {
        c.calls += s.value();
        if (!s.label("status").equals("OK")) {
          c.errors += s.value();
        }
      } else {
        c.buckets.merge(Double.parseDouble(s.label("le").replace("+Inf", "Infinity")), s.value(), Double::sum);
      }
    }
    return this;
  }

  public Collection<Edge> edges() {
    return edges.keySet();
  }

  /** The counts of {@code edge} summed over every instance. */
  public Counts counts(Edge edge) {
    Counts total = new Counts();
    edges.getOrDefault(edge, Map.of()).values().forEach(total::addAll);
    return total;
  }

  /** One table row: what happened on an edge between an earlier {@code CallEdges} and this. */
  public record Row(Edge edge, double callsPerSecond, double errorPercent, double p50, double p99) {}

  /**
   * Per edge: calls/s and error % over {@code seconds}; p50 and p99 of the calls in that
   * interval, or of all calls so far when the edge was idle (then calls/s is 0).
   */
  public List<Row> since(CallEdges earlier, double seconds) {
    List<Row> rows = new ArrayList<>();
    edges.forEach((edge, bySource) ->
        rows.add(row(edge, delta(edge, earlier), counts(edge), seconds)));
    return rows;
  }

  /**
   * As {@link #since}, one row per (caller, callee) over all its methods (the row's method is
   * ""), in the same order: the counts and histogram buckets of its methods are summed before
   * the quantiles are taken, since quantiles of parts do not average into the whole's.
   */
  public List<Row> pairsSince(CallEdges earlier, double seconds) {
    Map<Edge, Counts[]> pairs = new LinkedHashMap<>(); // the pair: {since earlier, so far}
    edges.keySet().forEach(edge -> {
      Counts[] sums = pairs.computeIfAbsent(new Edge(edge.caller(), edge.callee(), ""),
          pair -> new Counts[] {new Counts(), new Counts()});
      sums[0].addAll(delta(edge, earlier));
      sums[1].addAll(counts(edge));
    });
    List<Row> rows = new ArrayList<>();
    pairs.forEach((pair, sums) -> rows.add(row(pair, sums[0], sums[1], seconds)));
    return rows;
  }

  /** What {@code edge} counted since {@code earlier}, per instance first, summed. */
  private Counts delta(Edge edge, CallEdges earlier) {
    Counts d = new Counts();
    Map<String, Counts> before = earlier.edges.getOrDefault(edge, Map.of());
    edges.getOrDefault(edge, Map.of())
        .forEach((source, counts) -> d.addAll(counts.minus(before.get(source))));
    return d;
  }

  private static Row row(Edge edge, Counts d, Counts soFar, double seconds) {
    Counts latency = d.calls > 0 ? d : soFar;
    return new Row(edge, d.calls / seconds,
        d.calls > 0 ? 100 * d.errors / d.calls : Double.NaN,
        latency.quantile(0.5), latency.quantile(0.99));
  }
}
