package dev.berth.registry.internal;

import dev.berth.proto.v1.BindFailed;
import dev.berth.proto.v1.Endpoint;
import java.util.List;

/** Checks a {@code bind_failed} against what was assigned; a Status naming the bad value otherwise. */
final class BindFailedCheck {

  private BindFailedCheck() {}

  /**
   * The index of the endpoint {@code failed} names, among {@code assigned} (in endpoint order).
   *
   * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT: an unknown endpoint, another port
   *     than the one assigned, or a Unix socket endpoint (the instance binds those itself)
   */
  static int endpointIndex(BindFailed failed, Registration registration, List<Endpoint> assigned) {
    String name = Names.checkEndpoint(failed.getEndpoint());
    int index = registration.endpointNames().indexOf(name);
    if (index < 0) {
      throw Names.invalid("bind_failed endpoint: %s (expected: one of %s)", Names.quote(name),
          registration.endpointNames());
    }
    Endpoint e = assigned.get(index);
    if (!e.getUnixPath().isEmpty()) {
      throw Names.invalid("bind_failed endpoint: %s listens on unix_path %s (expected: a TCP "
          + "endpoint; the registry assigns no port to a Unix socket)", Names.quote(name),
          Names.quote(e.getUnixPath()));
    }
    if (Integer.toUnsignedLong(failed.getPort()) != e.getPort()) {
      throw Names.invalid("bind_failed port: %d (expected: %d, the port assigned to %s)",
          Integer.toUnsignedLong(failed.getPort()), e.getPort(), Names.quote(name));
    }
    return index;
  }
}
