package dev.berth.registry.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.local.internal.JsonText;
import dev.berth.proto.v1.BerthsResponse;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.Snapshot;
import dev.berth.proto.v1.StickyBerth;
import dev.berth.proto.v1.Target;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The read-only JSON view of the query verbs on the registry's HTTP side, so that {@code berth
 * resolve}, {@code ls} and {@code env} (and {@code curl}) need no gRPC stack: a cold JVM spends
 * about a second loading gRPC, Netty and protobuf for a 0.3 ms call.
 *
 * <ul>
 *   <li>{@code GET /v1/resolve?service=S[&endpoint=E][&namespace=N]}: {@code {"service": S,
 *       "endpoint": E, "addresses": ["127.0.0.1:P", ...]}}, the live, ready instances in
 *       {@code Resolve}'s order and by its rule: N's when it has any, else the default
 *       namespace's, never another's; {@code "namespace": N} after {@code "endpoint"} when they
 *       are N's (absent when they are the default namespace's). 404 when there is none, 400
 *       for a name that is not a DNS label.
 *   <li>{@code GET /v1/instances[?namespace=N | ?default_only=true]}: the array {@code berth ls
 *       --json} prints, one object per endpoint of every live instance (of N only, or of the
 *       default namespace only), in {@code List}'s order. An instance of a namespace has
 *       {@code "namespace": N} right after {@code "service"}; one of the default namespace has
 *       no such key, so the output of a registry without namespaces is as it always was.
 *   <li>{@code GET /v1/berths}: {@code Berths} as {@code {"poolFirst": F, "poolLast": L,
 *       "berths": [{"service": S, "endpoint": E, "ports": [P, ...], "lastUsed": T}, ...]}}, one
 *       object per line, in {@code Berths}' order; {@code "namespace": N} after {@code "service"}
 *       for a berth of a namespace, as above; {@code "lastUsed"} ISO-8601, or null.
 * </ul>
 *
 * <p>Like every call of {@code berth.v1.Registry}, each needs the state dir's token, here in
 * the {@code berth-token} header (compared in constant time; 401 with a one-line reason
 * without it), from a loopback peer whose {@code Host} is a loopback name or address (403: {@link
 * DashboardGuard#refusal}); any other method than GET is 405. Nothing here
 * changes state. Errors are one line of {@code text/plain}. Thread-safe (immutable; the table
 * is read under its own lock).
 */
final class QueryView {

  /** The request header that carries the token: the gRPC metadata key's name. */
  static final String TOKEN_HEADER = "berth-token";

  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain; charset=utf-8";

  private final LeaseTable table;
  private final byte[] token;
  private final Path tokenFile;
  private final Timer resolveTimer;
  private final Supplier<BerthsResponse> berths;

  QueryView(LeaseTable table, String token, Path tokenFile, Timer resolveTimer,
      Supplier<BerthsResponse> berths) {
    this.table = table;
    this.berths = berths;
    this.token = token.getBytes(StandardCharsets.US_ASCII);
    this.tokenFile = tokenFile;
    this.resolveTimer = resolveTimer;
  }

  /** Adds {@code /v1/resolve}, {@code /v1/instances} and {@code /v1/berths} to {@code server}, before it starts. */
  void register(HttpServer server) {
    int port = server.getAddress().getPort();
    server.createContext("/v1/resolve", exchange -> answer(exchange,
        new DashboardGuard(port, "/v1/resolve"), this::resolve));
    server.createContext("/v1/instances", exchange -> answer(exchange,
        new DashboardGuard(port, "/v1/instances"), this::instances));
    server.createContext("/v1/berths", exchange -> answer(exchange,
        new DashboardGuard(port, "/v1/berths"), e -> new Reply(200, JSON, berthsJson(berths.get()))));
  }

  private Reply instances(HttpExchange exchange) {
    String namespace;
    try {
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String defaultOnly = query.getOrDefault("default_only", "false");
      if (!defaultOnly.equals("true") && !defaultOnly.equals("false")) {
        return new Reply(400, TEXT, String.format("default_only: %s (expected: true or false)%n",
            Names.quote(defaultOnly)));
      }
      namespace = RegistryService.listedNamespace(query.getOrDefault("namespace", ""),
          defaultOnly.equals("true"));
    } catch (StatusRuntimeException e) {
      return new Reply(400, TEXT, e.getStatus().getDescription() + "\n");
    } catch (IllegalArgumentException e) { // a bad %-escape
      return new Reply(400, TEXT, "query: " + e.getMessage() + "\n");
    }
    return new Reply(200, JSON, instancesJson(table.list(namespace)));
  }

  private Reply resolve(HttpExchange exchange) {
    Timer.Sample sample = Timer.start();
    try {
      String service;
      String endpoint;
      String namespace;
      try {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        service = Names.checkService(query.getOrDefault("service", ""));
        endpoint = Names.checkEndpoint(query.getOrDefault("endpoint", ""));
        namespace = Names.checkNamespace(query.getOrDefault("namespace", ""));
      } catch (StatusRuntimeException e) {
        return new Reply(400, TEXT, e.getStatus().getDescription() + "\n");
      } catch (IllegalArgumentException e) { // a bad %-escape
        return new Reply(400, TEXT, "query: " + e.getMessage() + "\n");
      }
      Snapshot s = table.snapshot(namespace, service, endpoint);
      if (s.getTargetsCount() == 0) {
        return new Reply(404, TEXT, RegistryService.notFound(namespace, service, endpoint) + "\n");
      }
      StringBuilder json = new StringBuilder("{\"service\": ").append(JsonText.quote(service))
          .append(", \"endpoint\": ").append(JsonText.quote(endpoint));
      if (!s.getNamespace().isEmpty()) {
        json.append(", \"namespace\": ").append(JsonText.quote(s.getNamespace()));
      }
      json.append(", \"addresses\": [");
      List<Target> targets = s.getTargetsList();
      for (int i = 0; i < targets.size(); i++) {
        Target t = targets.get(i);
        json.append(i > 0 ? ", " : "").append(JsonText.quote(address(t.getHost(), t.getPort(), t.getUnixPath())));
      }
      return new Reply(200, JSON, json.append("]}\n").toString());
    } finally {
      sample.stop(resolveTimer);
    }
  }

  /**
   * One object per endpoint of each instance: service, namespace (only when not the default
   * one), endpoint, address (the text form of {@code dev.berth.client.Address}), listenAddress
   * ({@code Endpoint.listen_address}: "0.0.0.0", "::", "127.0.0.1", "::1", or null when unknown),
   * port (0 for a Unix socket), pid, instance, liveSince (ISO-8601, or null).
   */
  static String instancesJson(List<Instance> instances) {
    StringBuilder json = new StringBuilder();
    for (Instance instance : instances) {
      for (Endpoint e : instance.getEndpointsList()) {
        json.append(json.length() == 0 ? "[\n" : ",\n")
            .append("  {\"service\": ").append(JsonText.quote(instance.getService()));
        if (!instance.getNamespace().isEmpty()) {
          json.append(", \"namespace\": ").append(JsonText.quote(instance.getNamespace()));
        }
        json.append(", \"endpoint\": ").append(JsonText.quote(e.getName().isEmpty() ? "main" : e.getName()))
            .append(", \"address\": ").append(JsonText.quote(address(e.getHost(), e.getPort(), e.getUnixPath())))
            .append(", \"listenAddress\": ").append(e.getListenAddress().isEmpty() ? "null"
                : JsonText.quote(e.getListenAddress()))
            .append(", \"port\": ").append(e.getPort())
            .append(", \"pid\": ").append(instance.getPid())
            .append(", \"instance\": ").append(JsonText.quote(instance.getInstanceId()))
            .append(", \"liveSince\": ").append(instance.hasLiveSince()
                ? JsonText.quote(Instant.ofEpochSecond(instance.getLiveSince().getSeconds(),
                    instance.getLiveSince().getNanos()).toString())
                : "null")
            .append('}');
      }
    }
    return json.length() == 0 ? "[]\n" : json.append("\n]\n").toString();
  }

  /** {@code GET /v1/berths}: see the class comment. */
  static String berthsJson(BerthsResponse response) {
    StringBuilder json = new StringBuilder("{\"poolFirst\": ").append(response.getPoolFirst())
        .append(", \"poolLast\": ").append(response.getPoolLast()).append(", \"berths\": [");
    List<StickyBerth> berths = response.getBerthsList();
    for (int i = 0; i < berths.size(); i++) {
      StickyBerth b = berths.get(i);
      json.append(i == 0 ? "\n" : ",\n").append("  {\"service\": ").append(JsonText.quote(b.getService()));
      if (!b.getNamespace().isEmpty()) {
        json.append(", \"namespace\": ").append(JsonText.quote(b.getNamespace()));
      }
      json.append(", \"endpoint\": ").append(JsonText.quote(b.getEndpoint())).append(", \"ports\": [");
      for (int p = 0; p < b.getPortsCount(); p++) {
        json.append(p > 0 ? ", " : "").append(b.getPorts(p));
      }
      json.append("], \"lastUsed\": ").append(b.hasLastUsed()
          ? JsonText.quote(Instant.ofEpochSecond(b.getLastUsed().getSeconds(),
              b.getLastUsed().getNanos()).toString())
          : "null").append('}');
    }
    return json.append(berths.isEmpty() ? "]}\n" : "\n]}\n").toString();
  }

  private static String address(String host, int port, String unixPath) {
    return unixPath.isEmpty() ? Hosts.hostPort(host, port) : "unix:" + unixPath;
  }

  private interface View {
    Reply answer(HttpExchange exchange);
  }

  private record Reply(int status, String contentType, String body) {}

  private void answer(HttpExchange exchange, DashboardGuard guard, View view) throws IOException {
    try (exchange) {
      Reply reply;
      String presented = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
      String refusal = guard.refusal(exchange);
      if (refusal != null) { // a foreign peer, or a foreign Host: DNS rebinding
        reply = new Reply(403, TEXT, refusal + "\n");
      } else if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
        // a context answers every path it prefixes: /v1/resolvex is not /v1/resolve
        reply = new Reply(404, TEXT, "no such view: " + exchange.getRequestURI().getPath()
            + " (expected: /v1/resolve, /v1/instances or /v1/berths)\n");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        reply = new Reply(405, TEXT, "method: " + exchange.getRequestMethod() + " (expected: GET)\n");
      } else if (presented == null) {
        reply = new Reply(401, TEXT, "missing header " + TOKEN_HEADER + " (expected: the contents of "
            + tokenFile + ")\n");
      } else if (!MessageDigest.isEqual(token, presented.strip().getBytes(StandardCharsets.US_ASCII))) {
        // constant time: the comparison must not tell a guesser how many leading bytes matched
        reply = new Reply(401, TEXT, "wrong " + TOKEN_HEADER + " (expected: the contents of "
            + tokenFile + ")\n");
      } else {
        reply = view.answer(exchange);
      }
      RegistryHttp.send(exchange, reply.status(), reply.body(), reply.contentType());
    }
  }

  /** The first value of each parameter of a raw query string; null is none. */
  static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.putIfAbsent(name, value);
      }
    }
    return params;
  }
}
