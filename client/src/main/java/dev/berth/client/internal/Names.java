package dev.berth.client.internal;

import java.util.regex.Pattern;

/** Service and endpoint names: DNS labels, as the protocol requires. Stateless. */
public final class Names {
  /** The endpoint used when none is named. */
  public static final String MAIN = "main";

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  // the length limit first: "Orders" and a 70-character name are refused for different reasons
  static final String LABEL_RULE = "a DNS label of 1 to 63 characters: lowercase letters, "
      + "digits and '-', not starting or ending with '-'";

  private Names() {}

  /** True if {@code value} is a DNS label. */
  public static boolean isLabel(String value) {
    return value != null && LABEL.matcher(value).matches();
  }

  /** Returns {@code value}, or throws {@link IllegalArgumentException} naming it. */
  public static String checkLabel(String what, String value) {
    if (!isLabel(value)) {
      throw new IllegalArgumentException(
          what + ": '" + value + "' (expected: " + LABEL_RULE + ")");
    }
    return value;
  }

  /** "catalog" for the main endpoint, "gateway/http" otherwise: how people name a target. */
  public static String display(String service, String endpoint) {
    return MAIN.equals(endpoint) ? service : service + "/" + endpoint;
  }
}
