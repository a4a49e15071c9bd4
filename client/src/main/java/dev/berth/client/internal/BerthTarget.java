package dev.berth.client.internal;

import java.net.URI;

/**
 * What a {@code berth:} URI names: {@code berth:///catalog} is the main endpoint of
 * {@code catalog}, {@code berth:///gateway/http} the {@code http} endpoint of {@code gateway}.
 */
public record BerthTarget(String service, String endpoint) {
  /** The URI scheme. */
  public static final String SCHEME = "berth";

  /** The target of {@code uri}, or null if it is not a well-formed {@code berth:} URI. */
  public static BerthTarget parse(URI uri) {
    if (!SCHEME.equals(uri.getScheme())) {
      return null;
    }
    String authority = uri.getAuthority();
    String path = uri.getPath();
    if ((authority != null && !authority.isEmpty()) || path == null || !path.startsWith("/")) {
      return null;
    }
    String[] parts = path.substring(1).split("/", -1);
    String service = parts[0];
    String endpoint = parts.length > 1 ? parts[1] : Names.MAIN;
    if (parts.length > 2 || !Names.isLabel(service) || !Names.isLabel(endpoint)) {
      return null;
    }
    return new BerthTarget(service, endpoint);
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
