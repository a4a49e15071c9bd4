package dev.berth.registry.internal;

import java.util.List;
import java.util.Map;

/**
 * A validated {@code Register} message: names checked, empty endpoint names replaced by
 * {@code "main"}, limits enforced. Immutable.
 */
record Registration(String service, List<EndpointSpec> endpoints, long pid,
    Map<String, String> metadata) {

  Registration {
    endpoints = List.copyOf(endpoints);
    metadata = Map.copyOf(metadata);
  }

  /** One endpoint an instance wants; {@code requestedPort} 0 means "let the registry choose". */
  record EndpointSpec(String name, int requestedPort, boolean alreadyBound) {}
}
