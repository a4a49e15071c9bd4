package dev.berth.registry.internal;

/** The registry's {@link DashboardFeed}: its three sources side by side. Thread-safe. */
final class DashboardFeeds implements DashboardFeed {

  private final DashboardState state;
  private final DashboardEdges edges;
  private final DashboardStacks stacks;

  DashboardFeeds(DashboardState state, DashboardEdges edges, DashboardStacks stacks) {
    this.state = state;
    this.edges = edges;
    this.stacks = stacks;
  }

  @Override
  public String state() {
    return state.json();
  }

  @Override
  public String edges() {
    return edges.json();
  }

  @Override
  public String stacks(boolean owner) {
    return stacks.json(owner);
  }

  @Override
  public void onChange(Runnable listener) {
    state.onChange(listener);
  }

  @Override
  public void act(String verb, String namespace, String service) {
    stacks.act(verb, namespace, service);
  }
}
