package dev.berth.client.internal;

import java.net.URI;

/**
 * What a {@code berth:} URI names: {@code berth:///catalog} is the main endpoint of
 * {@code catalog}, {@code berth:///gateway/http} the {@code http} endpoint of {@code gateway}.
 */
public record BerthTarget(String service, String endpoint) {
  /** The URI scheme. */
  public static final String SCHEME = "berth";

  private static final String SHAPE = "berth:///SERVICE or berth:///SERVICE/ENDPOINT";

  /** The target of {@code uri}, or null if it is not a well-formed {@code berth:} URI. */
  public static BerthTarget parse(URI uri) {
    if (problem(uri) != null) {
      return null;
    }
    String[] parts = uri.getPath().substring(1).split("/", -1);
    return new BerthTarget(parts[0], parts.length > 1 ? parts[1] : Names.MAIN);
  }

  /**
   * Why {@code uri} is not a well-formed {@code berth:} target, naming the value and the rule
   * ({@code "service: 'Orders' in berth:///Orders (expected: a DNS label ...)"}); null when it is
   * one.
   */
  public static String problem(URI uri) {
    if (!SCHEME.equals(uri.getScheme())) {
      return "scheme: '" + uri.getScheme() + "' in " + uri + " (expected: " + SCHEME + ")";
    }
    String authority = uri.getAuthority();
    String path = uri.getPath();
    if ((authority != null && !authority.isEmpty()) || path == null || !path.startsWith("/")) {
      return "target: " + uri + " (expected: " + SHAPE + ", with no host)";
    }
    String[] parts = path.substring(1).split("/", -1);
    if (parts.length > 2) {
      return "target: " + uri + " (expected: " + SHAPE + ")";
    }
    if (!Names.isLabel(parts[0])) {
      return "service: '" + parts[0] + "' in " + uri + " (expected: " + Names.LABEL_RULE + ")";
    }
    if (parts.length > 1 && !Names.isLabel(parts[1])) {
      return "endpoint: '" + parts[1] + "' in " + uri + " (expected: " + Names.LABEL_RULE + ")";
    }
    return null;
  }

  /** The channel target for {@code service}'s {@code endpoint}. */
  public static String uri(String service, String endpoint) {
    return SCHEME + ":///" + service + (Names.MAIN.equals(endpoint) ? "" : "/" + endpoint);
  }

  @Override
  public String toString() {
    return uri(service, endpoint);
  }
}
