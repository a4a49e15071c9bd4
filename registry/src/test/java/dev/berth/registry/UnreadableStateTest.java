package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.WhoHasRequest;
import dev.berth.testing.TestPools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state file the registry cannot read is moved aside and kept; the registry starts and keeps what it can. */
class UnreadableStateTest {

  @TempDir Path dir;

  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Logger logger = Logger.getLogger("dev.berth"); // the registry's and berth-local's (which moves state files aside)
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord r) {
      Object[] params = r.getParameters();
      String text = r.getMessage();
      if (params != null) {
        for (int i = 0; i < params.length; i++) {
          text = text.replace("{" + i + "}", String.valueOf(params[i]));
        }
      }
      warnings.add(text);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void listen() {
    logger.addHandler(handler);
  }

  @AfterEach
  void stopListening() {
    logger.removeHandler(handler);
  }

  @Test
  void start_withBadUtf8BerthsJson_movesItAsideNamingItAndStarts() throws Exception {
    Path berths = dir.resolve("berths.json");
    Files.write(berths, new byte[] {(byte) 0xff, '\n'});

    try (TestRegistry reg = TestRegistry.start(dir, TestPools.take(4).first(), 4, b -> b.metricsEndpoint(false))) {
      assertThat(reg.registry.port()).isPositive();
    }

    List<Path> kept = kept("berths.json");
    assertThat(kept).hasSize(1);
    assertThat(Files.readAllBytes(kept.get(0))).containsExactly((byte) 0xff, '\n');
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains(berths.toString(), kept.get(0).toString()));
  }

  @Test
  void start_withADirectoryNamedBerthsJson_movesItAsideAndRemembersAgain() throws Exception {
    Files.createDirectory(dir.resolve("berths.json"));
    Files.writeString(dir.resolve("berths.json/inside"), "x");

    int port;
    try (TestRegistry reg = TestRegistry.start(dir, 4)) { // the metrics endpoint remembers its berth
      port = reg.registry.metricsPort();
      assertThat(rememberedFor(reg, port)).isEqualTo("berth/metrics");
    }

    assertThat(dir.resolve("berths.json")).isRegularFile();
    assertThat(kept("berths.json")).singleElement()
        .satisfies(p -> assertThat(p.resolve("inside")).hasContent("x"));
  }

  @Test
  void start_withOneOutOfRangePort_dropsThatEntryAndKeepsEveryOther() throws Exception {
    int first = TestPools.take(4).first();
    Files.writeString(dir.resolve("berths.json"), "{\"berths\": ["
        + "{\"service\": \"orders\", \"endpoint\": \"main\", \"ports\": [" + first + "]},"
        + "{\"service\": \"broken\", \"endpoint\": \"main\", \"ports\": [-1]},"
        + "{\"service\": \"toolarge\", \"endpoint\": \"main\", \"ports\": [70000]},"
        + "{\"service\": \"web\", \"endpoint\": \"http\", \"ports\": [" + (first + 1) + ", " + (first + 2) + "]}"
        + "]}");

    try (TestRegistry reg = TestRegistry.start(dir, first, 4, b -> b.metricsEndpoint(false))) {
      assertThat(rememberedFor(reg, first)).isEqualTo("orders/main");
      assertThat(rememberedFor(reg, first + 1)).isEqualTo("web/http");
      assertThat(rememberedFor(reg, first + 2)).isEqualTo("web/http");
    }
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("berths.json", "dropped", "-1"));
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("berths.json", "dropped", "70000"));
    assertThat(kept("berths.json")).singleElement()
        .satisfies(p -> assertThat(Files.readString(p)).contains("\"broken\""));
    // the cleaned map is on disk at once: a second start finds nothing to drop or copy again
    assertThat(Files.readString(dir.resolve("berths.json"))).doesNotContain("broken", "toolarge")
        .contains("orders", "web");
    try (TestRegistry reg = TestRegistry.start(dir, first, 4, b -> b.metricsEndpoint(false))) {
      assertThat(rememberedFor(reg, first)).isEqualTo("orders/main");
    }
    assertThat(kept("berths.json")).hasSize(1);
  }

  @Test
  void start_twiceOnCorruptFiles_keepsBothCopies() throws Exception {
    Files.writeString(dir.resolve("berths.json"), "{first corruption");
    Files.write(dir.resolve("token"), new byte[] {(byte) 0xfe});
    Files.setPosixFilePermissions(dir.resolve("token"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    try (TestRegistry reg = TestRegistry.start(dir, TestPools.take(4).first(), 4, b -> b.metricsEndpoint(false))) {
      assertThat(reg.token()).matches("[0-9a-f]{64}");
    }
    Files.writeString(dir.resolve("berths.json"), "{second corruption");
    try (TestRegistry reg = TestRegistry.start(dir, TestPools.take(4).first(), 4, b -> b.metricsEndpoint(false))) {
      assertThat(reg.registry.port()).isPositive();
    }

    List<String> contents = kept("berths.json").stream().map(UnreadableStateTest::read).collect(Collectors.toList());
    assertThat(contents).containsExactlyInAnyOrder("{first corruption", "{second corruption");
    assertThat(kept("token")).hasSize(1);
  }

  @Test
  void start_withDirectoriesInPlaceOfTheLockAndRegistryJson_movesThemAsideAndStarts() throws Exception {
    Files.createDirectory(dir.resolve("registry.pid.lock"));
    Files.createDirectory(dir.resolve("registry.json"));

    try (TestRegistry reg = TestRegistry.start(dir, TestPools.take(4).first(), 4, b -> b.metricsEndpoint(false))) {
      assertThat(Files.readString(dir.resolve("registry.json"))).contains(":" + reg.registry.port());
    }
    assertThat(kept("registry.pid.lock")).hasSize(1);
    assertThat(kept("registry.json")).hasSize(1);
  }

  private static String rememberedFor(TestRegistry reg, int port) throws IOException {
    return reg.blocking().whoHas(WhoHasRequest.newBuilder().setPort(port).build()).getRememberedFor();
  }

  private List<Path> kept(String name) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(name + ".unreadable-")).sorted()
          .collect(Collectors.toList());
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
