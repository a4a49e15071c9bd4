package dev.berth.client.internal;

import dev.berth.local.ServiceName;

/**
 * The one name form of the public API: {@code "catalog"} (the endpoint {@code main}) or
 * {@code "gateway/http"}, as {@code berth resolve} and {@code berth:///gateway/http} write
 * it; parsed by the one {@link ServiceName#parse}, refused in the library's own words. Stateless.
 */
public final class TargetName {
  static final String FORM = "service or service/endpoint, each " + Names.LABEL_RULE;

  private TargetName() {}

  /**
   * The service and endpoint {@code name} means.
   *
   * @throws IllegalArgumentException naming the value and the form, e.g.
   *     {@code name: 'a/b/c' (expected: service or service/endpoint, each a DNS label ...)}
   */
  public static BerthTarget parse(String name) {
    if (name == null) {
      throw new IllegalArgumentException("name: null (expected: " + FORM + ")");
    }
    ServiceName parsed = ServiceName.parse(name,
        (part, value) -> new IllegalArgumentException("name: '" + name + "' (expected: " + FORM + ")"));
    return new BerthTarget(parsed.service(), parsed.endpoint());
  }
}
