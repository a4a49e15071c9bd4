package dev.berth.client.internal;

import dev.berth.local.DnsLabel;
import dev.berth.local.ServiceName;

/** Service and endpoint names: DNS labels, as the protocol requires ({@link DnsLabel}). Stateless. */
public final class Names {
  /** The endpoint used when none is named ({@link ServiceName#MAIN}). */
  public static final String MAIN = ServiceName.MAIN;

  static final String LABEL_RULE = DnsLabel.RULE;

  private Names() {}

  /** True if {@code value} is a DNS label. */
  public static boolean isLabel(String value) {
    return DnsLabel.isLabel(value);
  }

  /** Returns {@code value}, or throws {@link IllegalArgumentException} naming it. */
  public static String checkLabel(String what, String value) {
    return DnsLabel.check(what, value);
  }

  /** "catalog" for the main endpoint, "gateway/http" otherwise: how people name a target. */
  public static String display(String service, String endpoint) {
    return new ServiceName(service, endpoint).toString();
  }
}
