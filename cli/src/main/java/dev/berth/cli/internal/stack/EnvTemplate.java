package dev.berth.cli.internal.stack;

import java.util.List;
import java.util.function.Function;

/**
 * {@code ${...}} in env values: another service's live address, instead of a port variable.
 *
 * <pre>{@code
 * ${orders}               127.0.0.1:61001   (service orders, endpoint main)
 * ${gateway/http}         127.0.0.1:61002
 * ${gateway/http.port}    61002
 * ${gateway/http.host}    127.0.0.1         ([::1] → ::1)
 * ${gateway/http.url}     http://127.0.0.1:61002
 * $${x}                   ${x}              (escaped)
 * }</pre>
 *
 * <p>Anything else after {@code $} is left as written (the shell's own {@code $HOME}).
 */
public final class EnvTemplate {

  /** One {@code ${service[/endpoint][.part]}}. */
  public record Ref(String service, String endpoint, Part part) {}

  public enum Part { ADDRESS, HOST, PORT, URL }

  private EnvTemplate() {}

  /** The references in {@code value}, in order; {@link IllegalArgumentException} for a bad one. */
  public static List<Ref> references(String value) {
    throw new UnsupportedOperationException("skeleton: the stack-file branch implements this");
  }

  /**
   * {@code value} with each reference replaced by {@code address.apply(ref)} (an address such as
   * {@code 127.0.0.1:61001} or {@code [::1]:61001}), formatted as its part asks.
   */
  public static String expand(String value, Function<Ref, String> address) {
    throw new UnsupportedOperationException("skeleton: the stack-file branch implements this");
  }
}
