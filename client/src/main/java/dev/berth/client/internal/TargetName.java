package dev.berth.client.internal;

/**
 * The one name form of the public API: {@code "catalog"} (the endpoint {@code main}) or
 * {@code "gateway/http"}, as {@code berth resolve} and {@code berth:///gateway/http} write
 * it. Stateless.
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
    int slash = name.indexOf('/');
    String service = slash < 0 ? name : name.substring(0, slash);
    String endpoint = slash < 0 ? Names.MAIN : name.substring(slash + 1);
    if (!Names.isLabel(service) || !Names.isLabel(endpoint)) { // a second '/' fails the label rule
      throw new IllegalArgumentException("name: '" + name + "' (expected: " + FORM + ")");
    }
    return new BerthTarget(service, endpoint);
  }
}
