package dev.berth.registry.internal;

import java.util.List;
import java.util.Map;

/**
 * A validated {@code Register} message: names checked, empty endpoint names replaced by
 * {@code "main"}, limits enforced. {@code namespace} is "" for the default namespace.
 * Immutable.
 */
record Registration(String namespace, String service, List<EndpointSpec> endpoints, long pid,
    Map<String, String> metadata) {

  Registration {
    endpoints = List.copyOf(endpoints);
    metadata = Map.copyOf(metadata);
  }

  /** In the default namespace. */
  Registration(String service, List<EndpointSpec> endpoints, long pid, Map<String, String> metadata) {
    this("", service, endpoints, pid, metadata);
  }

  /** The endpoint names, in order. */
  List<String> endpointNames() {
    return endpoints.stream().map(EndpointSpec::name).toList();
  }

  /** The index of endpoint {@code name}, -1 if none; allocates nothing (snapshots ask per instance). */
  int endpointIndex(String name) {
    for (int i = 0; i < endpoints.size(); i++) {
      if (endpoints.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * One endpoint an instance wants; {@code requestedPort} 0 means "let the registry choose".
   * A non-empty {@code unixPath} is a Unix domain socket the instance listens on itself: no
   * port then ({@code requestedPort} 0, {@code alreadyBound} false). A non-empty
   * {@code alsoUnixPath} is a Unix socket a TCP endpoint serves on too (checked at ready, like
   * {@code unixPath}), for same-user {@code berth:} channels.
   */
  record EndpointSpec(String name, int requestedPort, boolean alreadyBound, String unixPath,
      String alsoUnixPath) {

    EndpointSpec(String name, int requestedPort, boolean alreadyBound) {
      this(name, requestedPort, alreadyBound, "", "");
    }

    boolean isUnix() {
      return !unixPath.isEmpty();
    }
  }
}
