package dev.berth.client;

import dev.berth.registry.BerthRegistry;
import java.io.IOException;
import java.nio.file.Path;

/** Starts real registries in this JVM for tests: loopback, the given state dir, port 0 unless told. */
final class TestRegistry {
  private TestRegistry() {}

  static BerthRegistry start(Path stateDir) throws IOException {
    return start(stateDir, 0);
  }

  static BerthRegistry start(Path stateDir, int port) throws IOException {
    return BerthRegistry.builder().stateDir(stateDir).port(port).build().start();
  }

  /** A Berth talking to {@code registry} at its address (fixed), with its token. */
  static Berth connect(BerthRegistry registry) {
    return Berth.builder()
        .registry("127.0.0.1:" + registry.port())
        .stateDir(registry.stateDir())
        .build();
  }
}
