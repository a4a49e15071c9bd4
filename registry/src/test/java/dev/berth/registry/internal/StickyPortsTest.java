package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StickyPortsTest {

  @TempDir Path dir;
  private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  @Test
  void persist_thenLoad_restoresPortsInOrderAndLeavesNoTempFiles() throws Exception {
    Path file = dir.resolve("berths.json");
    StickyPorts sticky = StickyPorts.load(file, clock);
    sticky.remember("orders", "main", 61000);
    sticky.remember("orders", "main", 61003);
    sticky.remember("web", "http", 61001);

    sticky.persist();
    StickyPorts loaded = StickyPorts.load(file, clock);

    assertThat(loaded.portsFor("orders", "main")).containsExactly(61000, 61003);
    assertThat(loaded.rememberedFor(61001)).contains("web/http");
    assertThat(Files.readString(file)).contains("\"lastUsed\": \"2026-01-02T03:04:05Z\"");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void remember_aPortOfAnotherService_movesIt() throws Exception {
    StickyPorts sticky = StickyPorts.load(dir.resolve("berths.json"), clock);
    sticky.remember("orders", "main", 61000);

    sticky.remember("billing", "main", 61000);

    assertThat(sticky.portsFor("orders", "main")).isEmpty();
    assertThat(sticky.rememberedFor(61000)).contains("billing/main");
  }

  @Test
  void load_unreadableFile_movesItAsideAndStartsEmpty() throws Exception {
    Path file = dir.resolve("berths.json");
    Files.writeString(file, "{not json");

    StickyPorts sticky = StickyPorts.load(file, clock);

    assertThat(sticky.toProto().getBerthsCount()).isZero();
    assertThat(file).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).singleElement()
          .satisfies(p -> assertThat(p.getFileName().toString()).startsWith("berths.json.unreadable-"))
          .satisfies(p -> assertThat(p).hasContent("{not json"));
    }
  }

  @Test
  void persistIfChanged_writesOnlyWhenAPortIsAddedOrMoved() throws Exception {
    Path file = dir.resolve("berths.json");
    StickyPorts sticky = StickyPorts.load(file, clock);
    sticky.remember("orders", "main", 61000);
    assertThat(sticky.persistIfChanged()).isTrue();
    assertThat(StickyPorts.load(file, clock).portsFor("orders", "main")).containsExactly(61000);

    sticky.remember("orders", "main", 61000); // back on its remembered port
    assertThat(sticky.persistIfChanged()).isFalse();

    sticky.remember("billing", "main", 61000); // moved
    assertThat(sticky.persistIfChanged()).isTrue();
    assertThat(StickyPorts.load(file, clock).rememberedFor(61000)).contains("billing/main");

    StickyPorts reloaded = StickyPorts.load(file, clock);
    reloaded.remember("billing", "main", 61000);
    assertThat(reloaded.persistIfChanged()).isFalse(); // the file already says so
  }

  @Test
  void load_keepsNamespacesApart_readsNoNamespaceAsTheDefault_andDropsABadOne() throws Exception {
    Path file = dir.resolve("berths.json");
    Files.writeString(file, "{\"berths\": ["
        + "{\"service\": \"orders\", \"endpoint\": \"main\", \"ports\": [61000]},"
        + "{\"namespace\": \"Bad_NS\", \"service\": \"orders\", \"endpoint\": \"main\", \"ports\": [61001]},"
        + "{\"namespace\": \"shop\", \"service\": \"orders\", \"endpoint\": \"main\", \"ports\": [61002]}]}");

    StickyPorts sticky = StickyPorts.load(file, clock);

    assertThat(sticky.portsFor("orders", "main")).containsExactly(61000);
    assertThat(sticky.portsFor("shop", "orders", "main")).containsExactly(61002);
    assertThat(sticky.isRemembered(61001)).isFalse();
    assertThat(sticky.rememberedFor(61002)).contains("orders/main in namespace shop");
    sticky.remember("shop", "orders", "main", 61000); // moves from the default namespace
    assertThat(sticky.portsFor("orders", "main")).isEmpty();
    sticky.persist();
    assertThat(StickyPorts.load(file, clock).portsFor("shop", "orders", "main"))
        .containsExactly(61002, 61000);
  }
}
