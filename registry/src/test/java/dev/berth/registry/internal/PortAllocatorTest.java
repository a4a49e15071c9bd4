package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.local.PortProbe;
import dev.berth.testing.TestPools;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortAllocatorTest {

  @TempDir Path dir;
  private int first;
  private StickyPorts sticky;
  private PortAllocator allocator;

  @BeforeEach
  void setUp() throws Exception {
    first = TestPools.take(3).first();
    sticky = StickyPorts.load(dir.resolve("berths.json"), Clock.systemUTC());
    allocator = new PortAllocator(PortPool.of(first, first + 2), PortCheck.of(new PortProbe()), sticky, () -> -1);
  }

  @Test
  void allocate_newService_skipsPortsRememberedForOthersWhileFreshOnesRemain() {
    sticky.remember("orders", "main", first);

    assertThat(allocator.allocate("billing", "main", p -> false).port()).hasValue(first + 1);
    assertThat(allocator.allocate("orders", "main", p -> false).port()).hasValue(first);
  }

  @Test
  void allocate_whenOnlyRememberedPortsAreLeft_takesOneRatherThanFail() {
    sticky.remember("orders", "main", first);
    Set<Integer> held = Set.of(first + 1, first + 2);

    assertThat(allocator.allocate("billing", "main", held::contains).port()).hasValue(first);
  }

  @Test
  void allocate_whenStickyPortInUse_reportsItAndMovesOn() throws Exception {
    sticky.remember("orders", "main", first);
    try (ServerSocket squatter = TestPools.squat(first)) {
      PortAllocator.Allocation a = allocator.allocate("orders", "main", p -> false);

      assertThat(a.port()).hasValue(first + 1);
      assertThat(a.inUse()).singleElement().satisfies(u -> {
        assertThat(u.port()).isEqualTo(squatter.getLocalPort());
        assertThat(u.sticky()).isTrue();
      });
    }
  }

  @Test
  void allocate_neverReturnsTheRegistrysOwnPort() {
    PortAllocator own = new PortAllocator(PortPool.of(first, first + 2), PortCheck.of(new PortProbe()), sticky,
        () -> first);

    assertThat(own.allocate("orders", "main", p -> false).port()).hasValue(first + 1);
  }

  @Test
  void allocate_whenEverythingHeld_returnsEmpty() {
    assertThat(allocator.allocate("orders", "main", p -> true).port()).isEmpty();
  }
}
