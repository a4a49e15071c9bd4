package dev.berth.cli.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.berth.local.internal.Latencies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What {@code berth demo} reads out of the gateway sample's JSON (its {@code /stats} and its
 * error bodies), through protobuf's {@code JsonFormat} into a {@link Struct}: no JSON library
 * of its own. Stateless.
 */
final class GatewayJson {

  private GatewayJson() {}

  /**
   * One line per gRPC method gateway called with at least 10 OK calls, from its
   * {@code /stats} ({@code berth.client.call.duration}), e.g.
   * {@code orders.PlaceOrder p50 19 ms, p99 226 ms (76 calls)}, sorted; empty when
   * {@code stats} is not JSON.
   */
  static List<String> clientCalls(String stats) {
    Optional<Struct> json = parse(stats);
    if (json.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    Value calls = json.get().getFieldsOrDefault("calls", Value.getDefaultInstance());
    for (Value row : calls.getListValue().getValuesList()) {
      Struct r = row.getStructValue();
      if (!"OK".equals(text(r, "status")) || number(r, "count") < 10) {
        continue; // a single cold call says nothing
      }
      String method = text(r, "method");
      method = method.substring(method.lastIndexOf('/') + 1);
      lines.add(String.format("%s.%s p50 %s, p99 %s (%d calls)", text(r, "service"), method,
          Latencies.millis(number(r, "p50_ms")), Latencies.millis(number(r, "p99_ms")),
          (long) number(r, "count")));
    }
    lines.sort(Comparator.naturalOrder());
    return lines;
  }

  /**
   * {@code UNAVAILABLE: no live instance of 'orders'} from gateway's JSON error body, or the
   * body itself, abbreviated, when it is not JSON.
   */
  static String error(String body) {
    return parse(body).map(json -> text(json, "status") + ": " + text(json, "error"))
        .orElseGet(() -> abbreviate(body, 70));
  }

  /** {@code s}, or its first {@code max - 3} characters and {@code ...}. */
  static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  private static Optional<Struct> parse(String json) {
    Struct.Builder struct = Struct.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, struct);
      return Optional.of(struct.build());
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
  }

  private static String text(Struct s, String key) {
    return s.getFieldsOrDefault(key, Value.getDefaultInstance()).getStringValue();
  }

  private static double number(Struct s, String key) {
    return s.getFieldsOrDefault(key, Value.getDefaultInstance()).getNumberValue();
  }
}
