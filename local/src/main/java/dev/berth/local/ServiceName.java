package dev.berth.local;

import java.util.function.BiFunction;

/**
 * A service's endpoint as people name it: {@code "catalog"} (its endpoint {@value #MAIN}) or
 * {@code "gateway/http"}, both parts DNS labels ({@link DnsLabel}). The client library's
 * {@code Berth.resolve("gateway/http")} and the CLI's {@code berth resolve gateway/http} read
 * it with the one {@link #parse}, each refusing in its own kind of error.
 *
 * <pre>{@code
 * ServiceName.parse("gateway/http", (part, value) -> new IllegalArgumentException(part + ": " + value));
 * // ServiceName[service=gateway, endpoint=http]
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record ServiceName(String service, String endpoint) {
  /** The endpoint a name without {@code /ENDPOINT} means, and the registry's default endpoint. */
  public static final String MAIN = "main";

  /**
   * The service and endpoint {@code text} names, or the exception {@code refusal} makes of the
   * first part that is not a DNS label: {@code "service"} or {@code "endpoint"}, and its value.
   * A second {@code /} makes the endpoint part fail the label rule.
   */
  public static <X extends RuntimeException> ServiceName parse(String text,
      BiFunction<String, String, X> refusal) {
    int slash = text.indexOf('/');
    String service = slash < 0 ? text : text.substring(0, slash);
    String endpoint = slash < 0 ? MAIN : text.substring(slash + 1);
    if (!DnsLabel.isLabel(service)) {
      throw refusal.apply("service", service);
    }
    if (!DnsLabel.isLabel(endpoint)) {
      throw refusal.apply("endpoint", endpoint);
    }
    return new ServiceName(service, endpoint);
  }

  /** {@code "catalog"} for the main endpoint, {@code "gateway/http"} otherwise: what {@link #parse} reads. */
  @Override
  public String toString() {
    return MAIN.equals(endpoint) ? service : service + "/" + endpoint;
  }
}
