package dev.berth.local;

import java.util.regex.Pattern;

/**
 * The naming rule of the protocol: service and endpoint names are DNS labels,
 * {@value #REGEX}. The registry, the client library and the CLI check names with this one
 * rule, each in its own kind of error (a {@code Status} over the wire, an
 * {@link IllegalArgumentException} in a library, a usage error on the command line). The
 * library and the CLI word it with {@link #RULE}, for a person; the registry with
 * {@link #WIRE_RULE}, which shows the regex the {@code .proto} spells, for the author of a
 * foreign client.
 *
 * <pre>{@code
 * DnsLabel.check("serviceName", "Orders");
 * // IllegalArgumentException: serviceName: 'Orders' (expected: a DNS label of 1 to 63 characters: ...)
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class DnsLabel {

  /** A DNS label, as {@code registry.proto} spells it. */
  public static final String REGEX = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
  /**
   * The rule in words, for messages. The length limit comes first: "Orders" and a
   * 70-character name are refused for different reasons, and the character class alone
   * does not show the second.
   */
  public static final String RULE = "a DNS label of 1 to 63 characters: lowercase letters, "
      + "digits and '-', not starting or ending with '-'";

  /**
   * The rule in the registry's {@code Status} descriptions: the length limit in words (a
   * 70-character name matches the character class), then {@link #REGEX}.
   */
  public static final String WIRE_RULE = "a DNS label of 1 to 63 characters, " + REGEX;

  private static final Pattern LABEL = Pattern.compile(REGEX);

  private DnsLabel() {}

  /** True if {@code value} is a DNS label; false for null. */
  public static boolean isLabel(String value) {
    return value != null && LABEL.matcher(value).matches();
  }

  /** Returns {@code value}, or throws {@link IllegalArgumentException} naming {@code what} and it. */
  public static String check(String what, String value) {
    if (!isLabel(value)) {
      throw new IllegalArgumentException(what + ": '" + value + "' (expected: " + RULE + ")");
    }
    return value;
  }
}
