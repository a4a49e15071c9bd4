package dev.berth.cli.internal;

import dev.berth.local.DnsLabel;
import picocli.CommandLine;

/** {@code NAME[/ENDPOINT]} from the command line; both parts DNS labels ({@link DnsLabel}). Immutable. */
final class ServiceTarget {

  static final String MAIN = "main";

  final String service;
  final String endpoint;

  private ServiceTarget(String service, String endpoint) {
    this.service = service;
    this.endpoint = endpoint;
  }

  static ServiceTarget parse(String text) {
    int slash = text.indexOf('/');
    String service = slash < 0 ? text : text.substring(0, slash);
    String endpoint = slash < 0 ? MAIN : text.substring(slash + 1);
    checkLabel("service name", service);
    checkLabel("endpoint name", endpoint);
    return new ServiceTarget(service, endpoint);
  }

  private static void checkLabel(String what, String value) {
    if (!DnsLabel.isLabel(value)) {
      throw new CommandLine.TypeConversionException(what + " '" + value
          + "' (expected: " + DnsLabel.RULE + ", e.g. 'orders' or 'orders/http')");
    }
  }

  /** "catalog" for the main endpoint, else "gateway/http". */
  @Override
  public String toString() {
    return endpoint.equals(MAIN) ? service : service + "/" + endpoint;
  }

  /** picocli converter: a bad value is a usage error (exit 2). */
  static final class Converter implements CommandLine.ITypeConverter<ServiceTarget> {
    @Override
    public ServiceTarget convert(String value) {
      return parse(value);
    }
  }
}
