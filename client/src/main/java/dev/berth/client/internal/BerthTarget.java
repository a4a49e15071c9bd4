package dev.berth.client.internal;

import dev.berth.local.Namespace;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What a {@code berth:} URI names: {@code berth:///catalog} is the main endpoint of
 * {@code catalog}, {@code berth:///gateway/http} the {@code http} endpoint of {@code gateway},
 * each looked up in a namespace: {@code berth:///catalog?namespace=shop-3fa2c1} names one, and
 * without the parameter it is the default a resolver was given (for a plain
 * {@code ManagedChannelBuilder} channel, the process's: {@link Namespace#fromEnvironment()}).
 */
public record BerthTarget(String service, String endpoint, String namespace) {
  /** The URI scheme. */
  public static final String SCHEME = "berth";
  /** The one query parameter a target may have. */
  public static final String NAMESPACE_PARAMETER = "namespace";

  private static final String SHAPE = "berth:///SERVICE or berth:///SERVICE/ENDPOINT, "
      + "optionally with ?" + NAMESPACE_PARAMETER + "=NS";

  /** {@code service}'s {@code endpoint} in the default namespace {@code ""}. */
  public BerthTarget(String service, String endpoint) {
    this(service, endpoint, "");
  }

  /** The same name in {@code namespace}. */
  public BerthTarget inNamespace(String namespace) {
    return new BerthTarget(service, endpoint, namespace);
  }

  /** {@link #parse(URI, String)} with the default namespace {@code ""}. */
  public static BerthTarget parse(URI uri) {
    return parse(uri, "");
  }

  /**
   * The target of {@code uri}, in its {@code namespace} parameter or else in
   * {@code defaultNamespace}; null if it is not a well-formed {@code berth:} URI.
   */
  public static BerthTarget parse(URI uri, String defaultNamespace) {
    if (problem(uri) != null) {
      return null;
    }
    String[] parts = uri.getPath().substring(1).split("/", -1);
    String namespace = namespaceParameter(uri);
    return new BerthTarget(parts[0], parts.length > 1 ? parts[1] : Names.MAIN,
        namespace != null ? Namespace.check(NAMESPACE_PARAMETER, namespace) : defaultNamespace);
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
    if (parts.length > 2 || uri.getRawFragment() != null) {
      return "target: " + uri + " (expected: " + SHAPE + ")";
    }
    if (!Names.isLabel(parts[0])) {
      return "service: '" + parts[0] + "' in " + uri + " (expected: " + Names.LABEL_RULE + ")";
    }
    if (parts.length > 1 && !Names.isLabel(parts[1])) {
      return "endpoint: '" + parts[1] + "' in " + uri + " (expected: " + Names.LABEL_RULE + ")";
    }
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()
        && (!query.startsWith(NAMESPACE_PARAMETER + "=") || query.indexOf('&') >= 0)) {
      return "query: '" + query + "' in " + uri + " (expected: none, or " + NAMESPACE_PARAMETER + "=NS)";
    }
    String namespace = namespaceParameter(uri);
    if (namespace != null && !Namespace.isNamespace(namespace)) {
      return NAMESPACE_PARAMETER + ": '" + namespace + "' in " + uri + " (expected: " + Namespace.RULE + ")";
    }
    return null;
  }

  /** The channel target for {@code service}'s {@code endpoint}, in the resolver's default namespace. */
  public static String uri(String service, String endpoint) {
    return SCHEME + ":///" + service + (Names.MAIN.equals(endpoint) ? "" : "/" + endpoint);
  }

  /** The channel target for {@code service}'s {@code endpoint} in {@code namespace}, named explicitly. */
  public static String uri(String service, String endpoint, String namespace) {
    return uri(service, endpoint) + "?" + NAMESPACE_PARAMETER + "="
        + URLEncoder.encode(Namespace.display(namespace), StandardCharsets.UTF_8);
  }

  /** The {@code namespace} parameter's value, decoded; null without one. */
  private static String namespaceParameter(URI uri) {
    String query = uri.getRawQuery();
    if (query == null || !query.startsWith(NAMESPACE_PARAMETER + "=")) {
      return null;
    }
    try {
      return URLDecoder.decode(query.substring(NAMESPACE_PARAMETER.length() + 1), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) { // a bad %-escape
      return query.substring(NAMESPACE_PARAMETER.length() + 1);
    }
  }

  @Override
  public String toString() {
    return namespace.isEmpty() ? uri(service, endpoint) : uri(service, endpoint, namespace);
  }
}
