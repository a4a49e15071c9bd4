package dev.berth.registry.internal;

import java.nio.file.Path;

/** SKELETON (i14-stacks): the dashboard's {@code stacks} event and its actions, from the state dir. */
final class DashboardStacks {

  private final Path stateDir;

  DashboardStacks(Path stateDir) {
    this.stateDir = stateDir;
  }

  String json(boolean owner) {
    throw new UnsupportedOperationException("i14-stacks");
  }

  void act(String verb, String namespace, String service) {
    throw new UnsupportedOperationException("i14-stacks");
  }
}
