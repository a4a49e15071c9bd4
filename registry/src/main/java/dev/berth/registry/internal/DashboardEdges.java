package dev.berth.registry.internal;

import dev.berth.proto.v1.Instance;
import java.util.List;
import java.util.function.Supplier;

/** SKELETON (i14-feeds): the dashboard's {@code edges} event, from each {@code metrics} endpoint. */
final class DashboardEdges {

  private final Supplier<List<Instance>> instances;

  DashboardEdges(Supplier<List<Instance>> instances) {
    this.instances = instances;
  }

  String json() {
    throw new UnsupportedOperationException("i14-feeds");
  }
}
