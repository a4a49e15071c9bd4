package dev.berth.samples.gateway;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.samples.catalog.v1.CatalogGrpc;
import dev.berth.samples.catalog.v1.ListProductsRequest;
import dev.berth.samples.orders.v1.OrdersGrpc;
import dev.berth.samples.orders.v1.PlaceOrderRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The gateway's HTTP routes: JSON in and out, through the proto messages. Thread-safe. */
final class GatewayRoutes {

  private static final long DEADLINE_MILLIS = 2_000;

  private final OrdersGrpc.OrdersBlockingStub orders;
  private final CatalogGrpc.CatalogBlockingStub catalog;
  private final MeterRegistry meters;
  private final JsonFormat.Printer json = JsonFormat.printer().omittingInsignificantWhitespace();

  GatewayRoutes(OrdersGrpc.OrdersBlockingStub orders, CatalogGrpc.CatalogBlockingStub catalog,
          MeterRegistry meters) {
    this.orders = orders;
    this.catalog = catalog;
    this.meters = meters;
  }

  void install(HttpServer http) {
    http.createContext("/products", exchange -> handle(exchange, "GET", () ->
        catalog.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
            .listProducts(ListProductsRequest.getDefaultInstance())));
    http.createContext("/orders", exchange -> handle(exchange, "POST", () -> {
      PlaceOrderRequest.Builder request = PlaceOrderRequest.newBuilder();
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      JsonFormat.parser().ignoringUnknownFields().merge(body, request);
      return orders.withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
          .placeOrder(request.build());
    }));
    http.createContext("/stats", exchange -> handle(exchange, "GET", this::stats));
  }

  private interface Route {
    MessageOrBuilder call() throws IOException;
  }

  private void handle(HttpExchange exchange, String method, Route route) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals(method)) {
        exchange.getResponseHeaders().set("Allow", method);
        send(exchange, 405, error("method " + exchange.getRequestMethod()
            + " (expected: " + method + ")", "INVALID_ARGUMENT"));
        return;
      }
      try {
        send(exchange, 200, route.call());
      } catch (InvalidProtocolBufferException e) {
        send(exchange, 400, error("bad JSON: " + e.getMessage(), "INVALID_ARGUMENT"));
      } catch (StatusRuntimeException e) {
        Status status = e.getStatus();
        send(exchange, httpStatus(status.getCode()),
            error(String.valueOf(status.getDescription()), status.getCode().name()));
      }
    }
  }

  private void send(HttpExchange exchange, int code, MessageOrBuilder body) throws IOException {
    byte[] bytes = (json.print(body) + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static int httpStatus(Status.Code code) {
    switch (code) {
      case INVALID_ARGUMENT: return 400;
      case NOT_FOUND: return 404;
      case UNAVAILABLE: return 503;
      case DEADLINE_EXCEEDED: return 504;
      default: return 502;
    }
  }

  private static Message error(String message, String status) {
    return Struct.newBuilder()
        .putFields("error", string(message))
        .putFields("status", string(status))
        .build();
  }

  /** The gRPC calls this gateway made, per service and method, from its client meters. */
  private Message stats() {
    ListValue.Builder calls = ListValue.newBuilder();
    for (Timer timer : meters.find("berth.client.call.duration").timers()) {
      Struct.Builder row = Struct.newBuilder()
          .putFields("service", string(timer.getId().getTag("service")))
          .putFields("method", string(timer.getId().getTag("method")))
          .putFields("status", string(timer.getId().getTag("status")))
          .putFields("count", number(timer.count()));
      for (ValueAtPercentile p : timer.takeSnapshot().percentileValues()) {
        String key = "p" + Math.round(p.percentile() * 100) + "_ms";
        row.putFields(key, number(p.value(TimeUnit.MILLISECONDS)));
      }
      calls.addValues(Value.newBuilder().setStructValue(row));
    }
    return Struct.newBuilder()
        .putFields("calls", Value.newBuilder().setListValue(calls).build())
        .build();
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s == null ? "" : s).build();
  }

  private static Value number(double d) {
    return Value.newBuilder().setNumberValue(d).build();
  }
}
