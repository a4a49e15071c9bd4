package dev.berth.registry.internal;

/**
 * What the dashboard's event stream sends and acts on ({@link DashboardHttp}): each method
 * builds the current JSON of one event, as {@code docs/dashboard.md} specifies it. Thread-safe;
 * the methods may block briefly (a scrape, a file read) and are never called on a gRPC thread.
 */
interface DashboardFeed {

  /** The event {@code state}: the registry, every instance (live and reserved), the conflicts. */
  String state();

  /** The event {@code edges}: per caller and callee, the figures since the last call. */
  String edges();

  /** The event {@code stacks}: every running stack; each process's log tail only for an owner. */
  String stacks(boolean owner);

  /** Runs {@code listener} after every change of the instances or the conflicts. */
  void onChange(Runnable listener);

  /**
   * Stops or restarts a service of a running stack ({@code verb} is {@code stop} or {@code
   * restart}), through its supervisor.
   *
   * @throws java.util.NoSuchElementException no such stack or service (404)
   * @throws IllegalArgumentException a bad verb or name (400)
   * @throws IllegalStateException the supervisor refused or did not answer (409)
   */
  void act(String verb, String namespace, String service);
}
