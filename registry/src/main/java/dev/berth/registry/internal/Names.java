package dev.berth.registry.internal;

import dev.berth.local.DnsLabel;
import dev.berth.local.ServiceName;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The naming rules of the protocol: service and endpoint names are DNS labels
 * ({@link DnsLabel}), and so is a namespace other than the default one (""); others are
 * refused as INVALID_ARGUMENT worded with {@link DnsLabel#WIRE_RULE}. Thread-safe.
 */
final class Names {

  // a bad value can be up to 64 KiB; an error description that echoes it whole helps nobody
  private static final int MAX_QUOTED = 80;

  private Names() {}

  static boolean isLabel(String s) {
    return DnsLabel.isLabel(s);
  }

  /** Returns {@code service} or throws INVALID_ARGUMENT naming it. */
  static String checkService(String service) {
    return checkLabel("service", service);
  }

  /** Returns the endpoint name, {@code "main"} for an empty one, or throws INVALID_ARGUMENT. */
  static String checkEndpoint(String endpoint) {
    return endpoint.isEmpty() ? ServiceName.MAIN : checkLabel("endpoint", endpoint);
  }

  /**
   * Returns {@code namespace} ("" is the default namespace) or throws INVALID_ARGUMENT naming it.
   * The word {@code default} is "" too, as everywhere a person writes a namespace (a child of
   * {@code berth run} may pass its {@code BERTH_NAMESPACE=default} on), so that no namespace
   * of that name exists beside the default one.
   */
  static String checkNamespace(String namespace) {
    if (dev.berth.local.Namespace.DEFAULT_WORD.equals(namespace)) {
      return "";
    }
    if (isNamespace(namespace)) {
      return namespace;
    }
    throw invalid("namespace: %s (expected: \"\" for the default namespace, or %s)",
        quote(namespace), DnsLabel.WIRE_RULE);
  }

  /** Whether {@code namespace} may be used: "" or a DNS label. */
  static boolean isNamespace(String namespace) {
    return namespace.isEmpty() || isLabel(namespace);
  }

  static String checkLabel(String what, String value) {
    if (!isLabel(value)) {
      throw invalid("%s: %s (expected: %s)", what, quote(value), DnsLabel.WIRE_RULE);
    }
    return value;
  }

  static StatusRuntimeException invalid(String format, Object... args) {
    return Status.INVALID_ARGUMENT.withDescription(String.format(format, args)).asRuntimeException();
  }

  /** {@code "value"} with quotes and control characters escaped, cut to a readable length. */
  static String quote(String value) {
    StringBuilder sb = new StringBuilder("\"");
    int n = Math.min(value.length(), MAX_QUOTED);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (value.length() > MAX_QUOTED) {
      sb.append("...");
    }
    return sb.append('"').toString();
  }
}
