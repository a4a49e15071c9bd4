package dev.berth.client;

import dev.berth.registry.BerthRegistry;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For tests that each want a registry of their own (its own temp state dir and test pool) and a
 * {@link Berth} connected to it: extend this, and use {@link #home}, {@link #registry} and
 * {@link #berth}. Both are closed after each test.
 */
abstract class RegistryPerTest {
  @TempDir Path home;
  BerthRegistry registry;
  Berth berth;

  @BeforeEach
  void startRegistry() throws IOException {
    registry = TestRegistry.start(home);
    berth = TestRegistry.connect(registry);
  }

  @AfterEach
  void stopRegistry() {
    berth.close();
    registry.close();
  }
}
