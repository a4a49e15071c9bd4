package dev.berth.client.internal;

import dev.berth.client.Address;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The registry's wire form of an address ({@code host}, {@code port}, {@code unix_path}) as an {@link Address}. Stateless. */
public final class Addresses {
  private Addresses() {}

  /** A target's address; an empty host (an older registry) is 127.0.0.1. */
  public static Address of(Target target) {
    return of(target.getHost(), target.getPort(), target.getUnixPath());
  }

  /** An endpoint's address; see {@link #of(Target)}. */
  public static Address of(Endpoint endpoint) {
    return of(endpoint.getHost(), endpoint.getPort(), endpoint.getUnixPath());
  }

  /** The targets with their {@code also_unix_path}, in order. */
  public static List<Discovery.Found> found(List<Target> targets) {
    List<Discovery.Found> found = new ArrayList<>(targets.size());
    for (Target t : targets) {
      String also = t.getAlsoUnixPath();
      found.add(new Discovery.Found(of(t), also.isEmpty() || !t.getUnixPath().isEmpty() ? null
          : Address.unix(Path.of(also))));
    }
    return found;
  }

  /** The targets' addresses in order. */
  public static List<Address> of(List<Target> targets) {
    List<Address> addresses = new ArrayList<>(targets.size());
    for (Target t : targets) {
      addresses.add(of(t));
    }
    return addresses;
  }

  private static Address of(String host, int port, String unixPath) {
    if (!unixPath.isEmpty()) {
      return Address.unix(Path.of(unixPath));
    }
    return Address.tcp(host.isEmpty() ? "127.0.0.1" : host, port);
  }
}
