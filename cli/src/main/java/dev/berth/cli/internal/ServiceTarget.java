package dev.berth.cli.internal;

import dev.berth.local.DnsLabel;
import dev.berth.local.ServiceName;
import picocli.CommandLine;

/** {@code NAME[/ENDPOINT]} from the command line; both parts DNS labels ({@link DnsLabel}). Immutable. */
final class ServiceTarget {

  final String service;
  final String endpoint;

  private ServiceTarget(String service, String endpoint) {
    this.service = service;
    this.endpoint = endpoint;
  }

  /** The one parser ({@link ServiceName#parse}); a bad part is a usage error naming it. */
  static ServiceTarget parse(String text) {
    ServiceName name = ServiceName.parse(text, (part, value) ->
        new CommandLine.TypeConversionException(part + " name '" + value
            + "' (expected: " + DnsLabel.RULE + ", e.g. 'orders' or 'orders/http')"));
    return new ServiceTarget(name.service(), name.endpoint());
  }

  /** "catalog" for the main endpoint, else "gateway/http". */
  @Override
  public String toString() {
    return new ServiceName(service, endpoint).toString();
  }

  /** picocli converter: a bad value is a usage error (exit 2). */
  static final class Converter implements CommandLine.ITypeConverter<ServiceTarget> {
    @Override
    public ServiceTarget convert(String value) {
      return parse(value);
    }
  }
}
