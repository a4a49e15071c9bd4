package dev.berth.client;

import dev.berth.registry.BerthRegistry;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts real registries in this JVM for tests: loopback, the given state dir, a port and a
 * pool of this JVM's own ({@link TestPools}), so no other registry on the machine matters. A
 * state dir keeps its pool across restarts, as its remembered berths need.
 */
final class TestRegistry {
  private static final Map<Path, PortRange> POOLS = new ConcurrentHashMap<>();

  private TestRegistry() {}

  /** A registry on a new port of this JVM's own: never the port of a registry before it. */
  static BerthRegistry start(Path stateDir) throws IOException {
    return start(stateDir, TestPools.port());
  }

  static BerthRegistry start(Path stateDir, int port) throws IOException {
    return builder(stateDir).port(port).build().start();
  }

  /** A builder with the state dir and its pool set; port 0. */
  static BerthRegistry.Builder builder(Path stateDir) {
    PortRange pool = POOLS.computeIfAbsent(stateDir.toAbsolutePath().normalize(), d -> TestPools.take(16));
    return BerthRegistry.builder().stateDir(stateDir).port(0).ports(pool.first(), pool.last());
  }

  /** A Berth talking to {@code registry} at its address (fixed), with its token. */
  static Berth connect(BerthRegistry registry) {
    return Berth.builder()
        .registry("127.0.0.1:" + registry.port())
        .stateDir(registry.stateDir())
        .build();
  }
}
