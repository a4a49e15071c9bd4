package dev.berth.client.internal;

/**
 * Where a {@code berth:} resolver gets its registry connection: the {@code Berth} that made
 * the channel, or the process-wide {@link SharedConnection} for plain
 * {@code ManagedChannelBuilder.forTarget("berth:///x")}. Implementations are thread-safe and
 * never block.
 */
public interface ConnectionSource {
  /** A connection to use until {@link #release}. */
  RegistryConnection acquire();

  /** Gives back a connection from {@link #acquire}. */
  void release(RegistryConnection connection);

  /** A source that always hands out {@code connection}, owned by someone else. */
  static ConnectionSource of(RegistryConnection connection) {
    return new ConnectionSource() {
      @Override
      public RegistryConnection acquire() {
        return connection;
      }

      @Override
      public void release(RegistryConnection ignored) {}
    };
  }
}
