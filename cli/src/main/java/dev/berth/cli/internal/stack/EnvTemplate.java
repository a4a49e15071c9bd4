package dev.berth.cli.internal.stack;

import dev.berth.local.DnsLabel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 *
 * <p>Thread-safe (stateless).
 */
public final class EnvTemplate {

  /** The grammar of one reference, for messages. */
  static final String SHAPE = "${service[/endpoint][.port|.host|.url]}, names being DNS labels";

  /** The endpoint a reference without {@code /endpoint} names, as everywhere in Berth. */
  public static final String DEFAULT_ENDPOINT = "main";

  /** One {@code ${service[/endpoint][.part]}}. */
  public record Ref(String service, String endpoint, Part part) {

    /** As written in its shortest form: {@code ${orders}}, {@code ${gateway/http.url}}. */
    public String text() {
      return "${" + service + (endpoint.equals(DEFAULT_ENDPOINT) ? "" : "/" + endpoint)
          + (part == Part.ADDRESS ? "" : "." + part.name().toLowerCase(Locale.ROOT)) + "}";
    }
  }

  public enum Part { ADDRESS, HOST, PORT, URL }

  private EnvTemplate() {}

  /** The references in {@code value}, in order; {@link IllegalArgumentException} for a bad one. */
  public static List<Ref> references(String value) {
    List<Ref> refs = new ArrayList<>();
    scan(value, ref -> {
      refs.add(ref);
      return "";
    });
    return refs;
  }

  /**
   * {@code value} with each reference replaced by {@code address.apply(ref)} (an address such as
   * {@code 127.0.0.1:61001} or {@code [::1]:61001}), formatted as its part asks.
   *
   * @throws IllegalArgumentException for a malformed reference, or an address that is not
   *     {@code host:port}
   */
  public static String expand(String value, Function<Ref, String> address) {
    return scan(value, ref -> format(ref.part(), address.apply(ref)));
  }

  private static String scan(String value, Function<Ref, String> replacement) {
    StringBuilder out = new StringBuilder(value.length());
    int i = 0;
    while (i < value.length()) {
      if (value.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (value.startsWith("${", i)) {
        int close = value.indexOf('}', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("'" + value.substring(i) + "': no closing '}' (expected: "
              + SHAPE + "; write $${ for a literal ${)");
        }
        out.append(replacement.apply(parse(value.substring(i + 2, close))));
        i = close + 1;
      } else {
        out.append(value.charAt(i));
        i++;
      }
    }
    return out.toString();
  }

  private static Ref parse(String inner) {
    String whole = "${" + inner + "}";
    int dot = inner.indexOf('.');
    String name = dot < 0 ? inner : inner.substring(0, dot);
    Part part = Part.ADDRESS;
    if (dot >= 0) {
      String suffix = inner.substring(dot + 1);
      switch (suffix) {
        case "port" -> part = Part.PORT;
        case "host" -> part = Part.HOST;
        case "url" -> part = Part.URL;
        default -> throw new IllegalArgumentException("'" + whole + "': unknown part '." + suffix
            + "' (expected: " + SHAPE + ")");
      }
    }
    int slash = name.indexOf('/');
    String service = slash < 0 ? name : name.substring(0, slash);
    String endpoint = slash < 0 ? DEFAULT_ENDPOINT : name.substring(slash + 1);
    if (!DnsLabel.isLabel(service)) {
      throw new IllegalArgumentException("'" + whole + "': '" + service
          + "' is not a service name (expected: " + SHAPE + ")");
    }
    if (!DnsLabel.isLabel(endpoint)) {
      throw new IllegalArgumentException("'" + whole + "': '" + endpoint
          + "' is not an endpoint name (expected: " + SHAPE + ")");
    }
    return new Ref(service, endpoint, part);
  }

  private static String format(Part part, String address) {
    int colon = address == null ? -1 : address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("address: '" + address + "' (expected: host:port or [v6]:port)");
    }
    String host = address.substring(0, colon);
    return switch (part) {
      case ADDRESS -> address;
      case PORT -> address.substring(colon + 1);
      case HOST -> host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      case URL -> "http://" + address;
    };
  }
}
