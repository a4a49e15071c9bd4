package dev.berth.registry.internal;

import dev.berth.local.internal.CallEdges;
import dev.berth.local.internal.JsonText;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The dashboard's {@code edges} event ({@code docs/dashboard.md}): each call of {@link #json}
 * scrapes the {@code metrics} endpoint of every live instance and gives, per (caller, callee)
 * and per method, what the client call timers counted since the previous call, as {@code berth
 * top} does ({@link CallEdges}).
 *
 * <p>The endpoints are scraped at once, and {@link #json} waits for them at most {@code bound}:
 * one that is slow, hangs, refuses or answers other than 200 counts nothing new in that interval
 * (its calls show up in the next one it answers in, since every figure is a difference of
 * counters); what it said last is forgotten only once it is no longer listed.
 * Only TCP endpoints: {@code java.net.http} does not speak Unix sockets. The registry's own is
 * not scraped: it calls no service, and it would answer on the HTTP side's one thread.
 *
 * <p>The scrapes go through a {@link ScrapeClient} made on the first call, so a registry whose
 * page was never opened has no client threads, and let go once no call came for {@code idle}
 * (checked every {@code idle} on the client's thread: between one and two {@code idle} after the
 * last call, {@link #IDLE} by default): its thread, {@code berth-dashboard-scrape-N}, ends then,
 * and the JDK's selector thread of the client once the client is collected.
 *
 * <p>Thread-safe: calls are serialized, each taking up to about {@code bound}. The figures are
 * those since the previous call, whoever made it: one timer should call it and send the result
 * to every open stream.
 */
final class DashboardEdges {

  /** Past this, the previous scrape is too old to give a current rate: start afresh. */
  static final Duration MAX_INTERVAL = Duration.ofSeconds(5);
  /** After this long without a call (no page open), the scrape client and its threads go. */
  static final Duration IDLE = Duration.ofSeconds(5);
  /** The scrape client's thread is this and a number, one more for each client made. */
  static final String THREAD_PREFIX = "berth-dashboard-scrape-";
  private static final AtomicInteger CLIENTS_MADE = new AtomicInteger(); // in this JVM

  private final Supplier<List<Instance>> instances;
  private final LongSupplier ticker;
  private final Duration bound;
  private final Duration idle;
  private final long ownPid = ProcessHandle.current().pid();
  // a lock, not this object's monitor: the idle check must not wait for a call under way
  private final ReentrantLock lock = new ReentrantLock();
  private ScrapeClient client; // guarded by lock; null before the first call and once idle
  private boolean calledSinceCheck; // guarded by lock
  private CallEdges previous; // guarded by lock; null before the first call
  private Map<String, String> lastTexts = Map.of(); // guarded by lock; by instance id
  // guarded by lock: listed at the previous call, but had not answered yet
  private Set<String> neverAnswered = Set.of();
  private long previousNanos; // guarded by lock

  /**
   * Reads the live instances from {@code instances} at each call, times the interval with
   * {@code ticker} (nanoseconds), and waits at most {@code bound} for the scrapes.
   */
  DashboardEdges(Supplier<List<Instance>> instances, LongSupplier ticker, Duration bound) {
    this(instances, ticker, bound, IDLE);
  }

  /** As above; the scrape client is let go after {@code idle} without a call. */
  DashboardEdges(Supplier<List<Instance>> instances, LongSupplier ticker, Duration bound,
      Duration idle) {
    if (bound.isNegative() || bound.isZero()) {
      throw new IllegalArgumentException("bound: " + bound + " (expected: > 0)");
    }
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("idle: " + idle + " (expected: > 0)");
    }
    this.instances = instances;
    this.ticker = ticker;
    this.bound = bound;
    this.idle = idle;
  }

  /**
   * {@code {"intervalSeconds": S, "edges": [...]}}: the figures since the previous call, S
   * seconds ago. On the first call, or when the previous one is older than {@link
   * #MAX_INTERVAL}, there is no interval: S is 0, every rate 0, the quantiles those of all
   * calls so far.
   */
  String json() {
    lock.lock();
    try {
      return jsonLocked();
    } finally {
      lock.unlock();
    }
  }

  private String jsonLocked() {
    long nanos = ticker.getAsLong(); // before the scrapes, as each call takes it
    Set<String> wereSilent = neverAnswered;
    CallEdges now = scrape();
    boolean fresh = previous == null || nanos - previousNanos > MAX_INTERVAL.toNanos();
    CallEdges earlier = fresh ? now : previous; // fresh: nothing counted "since"
    if (!fresh) {
      // an instance missing from the earlier scrape counts all it ever counted as new: right
      // for one started since, not for one that was there but slow (a cold JVM's first scrape)
      wereSilent.stream().filter(lastTexts::containsKey)
          .forEach(instanceId -> add(earlier, instanceId, lastTexts.get(instanceId)));
    }
    double seconds = fresh ? 0 : (nanos - previousNanos) / 1e9;
    double divisor = Math.max(seconds, 1e-3); // 0 calls / any divisor is 0
    previous = now;
    previousNanos = nanos;
    List<CallEdges.Row> methods = now.since(earlier, divisor);
    StringBuilder json = new StringBuilder(64 + 512 * methods.size())
        .append("{\"intervalSeconds\": ").append(number(seconds)).append(", \"edges\": [");
    boolean first = true;
    for (CallEdges.Row pair : now.pairsSince(earlier, divisor)) {
      json.append(first ? "" : ", ").append("{\"caller\": ").append(JsonText.quote(pair.edge().caller()))
          .append(", \"callee\": ").append(JsonText.quote(pair.edge().callee()));
      figures(json, pair).append(", \"methods\": [");
      boolean firstMethod = true;
      for (CallEdges.Row m : methods) {
        if (m.edge().caller().equals(pair.edge().caller())
            && m.edge().callee().equals(pair.edge().callee())) {
          json.append(firstMethod ? "{" : ", {").append("\"method\": ").append(JsonText.quote(shortName(m.edge().method())));
          figures(json, m).append('}');
          firstMethod = false;
        }
      }
      json.append("]}");
      first = false;
    }
    return json.append("]}").toString();
  }

  /** {@code , "callsPerSecond": R, "errorPercent": E, "p50Ms": P, "p99Ms": P}. */
  private static StringBuilder figures(StringBuilder json, CallEdges.Row row) {
    return json.append(", \"callsPerSecond\": ").append(number(row.callsPerSecond()))
        .append(", \"errorPercent\": ").append(number(row.errorPercent()))
        .append(", \"p50Ms\": ").append(number(row.p50() * 1000))
        .append(", \"p99Ms\": ").append(number(row.p99() * 1000));
  }

  /** Rounded to a thousandth; null for NaN (unknown: no calls to measure). */
  static String number(double value) {
    return Double.isFinite(value) ? Double.toString(Math.round(value * 1000) / 1000.0) : "null";
  }

  /** The method without its gRPC service, as {@code berth top} shows it: {@code PlaceOrder}. */
  private static String shortName(String fullMethodName) {
    return fullMethodName.substring(fullMethodName.lastIndexOf('/') + 1);
  }

  /**
   * What every live {@code metrics} endpoint says now. One that did not answer within the bound,
   * refused, or answered other than 200 counts as saying what it said last time (nothing new this
   * interval; what it counted meanwhile shows in the next interval it answers in, rather than all
   * it ever counted, as for an instance never seen). One listed no more is forgotten.
   */
  private CallEdges scrape() {
    calledSinceCheck = true;
    if (client == null) {
      ScrapeClient made = new ScrapeClient(THREAD_PREFIX + CLIENTS_MADE.incrementAndGet(), bound);
      made.schedule(() -> checkIdle(made), idle);
      client = made;
    }
    HttpClient http = client.http();
    Map<String, CompletableFuture<HttpResponse<String>>> scrapes = new LinkedHashMap<>();
    for (Instance instance : instances.get()) {
      if (isOwn(instance)) {
        continue;
      }
      for (Endpoint e : instance.getEndpointsList()) {
        if (e.getName().equals(RegistryHttp.METRICS_ENDPOINT) && e.getUnixPath().isEmpty()) {
          URI uri = URI.create("http://" + Hosts.hostPort(e.getHost(), e.getPort()) + "/metrics");
          scrapes.put(instance.getInstanceId(), http.sendAsync(
              HttpRequest.newBuilder(uri).timeout(bound).build(),
              HttpResponse.BodyHandlers.ofString()));
        }
      }
    }
    try {
      CompletableFuture.allOf(scrapes.values().toArray(CompletableFuture[]::new))
          .get(bound.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // one was slow or failed: each is read below on its own
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Map<String, String> texts = new LinkedHashMap<>();
    Set<String> silent = new HashSet<>();
    scrapes.forEach((instanceId, scrape) -> {
      String text = answer(scrape);
      if (text == null) {
        text = lastTexts.get(instanceId);
      }
      if (text != null) {
        texts.put(instanceId, text);
      } else {
        silent.add(instanceId); // no answer yet, ever: nothing known
      }
    });
    lastTexts = texts; // instances no longer listed are forgotten
    neverAnswered = silent;
    CallEdges edges = new CallEdges();
    texts.forEach((instanceId, text) -> add(edges, instanceId, text));
    return edges;
  }

  /** On {@code checked}'s thread, every {@link #idle}: lets it go when no call came meanwhile. */
  private void checkIdle(ScrapeClient checked) {
    if (!lock.tryLock()) { // a call is under way, and waits for this very thread's scrapes
      checked.schedule(() -> checkIdle(checked), idle);
      return;
    }
    try {
      if (client != checked) {
        return;
      }
      if (calledSinceCheck) {
        calledSinceCheck = false;
        checked.schedule(() -> checkIdle(checked), idle);
        return;
      }
      client = null; // unreachable from here on: the JDK's selector thread of it ends too
      checked.close();
    } finally {
      lock.unlock();
    }
  }

  private static void add(CallEdges edges, String instanceId, String text) {
    try {
      edges.add(instanceId, text);
    } catch (IllegalArgumentException notPrometheusText) {
      // a metrics endpoint that serves something else has no edges
    }
  }

  /**
   * The Prometheus text of {@code scrape}; null when it is still pending (then cancelled),
   * timed out, failed (refused: gone since {@code List}, a killed instance whose lease has not
   * ended yet) or was not a 200.
   */
  private static String answer(CompletableFuture<HttpResponse<String>> scrape) {
    if (!scrape.isDone()) {
      scrape.cancel(true);
      return null;
    }
    try {
      HttpResponse<String> response = scrape.join();
      return response.statusCode() == 200 ? response.body() : null;
    } catch (CompletionException | CancellationException e) {
      return null;
    }
  }

  private boolean isOwn(Instance instance) {
    return instance.getService().equals(RegistryServer.SELF_SERVICE)
        && instance.getNamespace().isEmpty() && instance.getPid() == ownPid;
  }
}
