package dev.berth.registry.internal;

/** SKELETON (i14-feeds): the dashboard's {@code state} event from the lease table and conflicts. */
final class DashboardState {

  private final LeaseTable table;
  private final ConflictLog conflicts;

  DashboardState(LeaseTable table, ConflictLog conflicts) {
    this.table = table;
    this.conflicts = conflicts;
  }

  String json() {
    throw new UnsupportedOperationException("i14-feeds");
  }

  void onChange(Runnable listener) {
    // i14-feeds: LeaseTable and ConflictLog call it after each change
  }
}
