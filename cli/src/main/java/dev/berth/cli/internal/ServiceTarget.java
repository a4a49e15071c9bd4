package dev.berth.cli.internal;

import dev.berth.local.DnsLabel;
import dev.berth.local.ServiceName;
import picocli.CommandLine;

/** {@code NAME[/ENDPOINT]} from the command line; both parts DNS labels ({@link DnsLabel}). Immutable. */
final class ServiceTarget {

  final String service;
  final String endpoint;
  /** Whether the text named the endpoint ({@code web/main}) rather than meaning main ({@code web}). */
  final boolean endpointNamed;

  private ServiceTarget(String service, String endpoint, boolean endpointNamed) {
    this.service = service;
    this.endpoint = endpoint;
    this.endpointNamed = endpointNamed;
  }

  private static final String FORMS = "NAME or NAME/ENDPOINT, each " + DnsLabel.RULE
      + "; e.g. 'orders', 'gateway/http'";

  /** The one parser ({@link ServiceName#parse}); a bad part is a usage error naming it. */
  static ServiceTarget parse(String text) {
    if (text.indexOf('/') != text.lastIndexOf('/')) {
      throw new Refused("name '" + text + "' has more than one '/' (expected: " + FORMS + ")");
    }
    ServiceName name = ServiceName.parse(text, (part, value) ->
        new Refused(part + " name '" + value + "' (expected: " + FORMS + ")"));
    return new ServiceTarget(name.service(), name.endpoint(), text.indexOf('/') >= 0);
  }

  /**
   * A name refused in our own words: the error reporter prints this message alone, without
   * picocli's "Invalid value for positional parameter at index 0 (NAME[/ENDPOINT]):" before it.
   */
  static final class Refused extends CommandLine.TypeConversionException {
    Refused(String message) {
      super(message);
    }
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
