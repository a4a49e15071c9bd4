package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.RegistryInfo;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library lifecycle: state files, ports, close. */
class BerthRegistryTest {

  @TempDir Path dir;

  @Test
  void start_writesTokenAndRegistryJson_closeRemovesRegistryJsonAndKeepsToken() throws Exception {
    Path home = dir.resolve("home");
    BerthRegistry registry = builder(home).port(0).build().start();
    String token;
    try {
      token = Files.readString(home.resolve("token")).trim();
      assertThat(token).matches("[0-9a-f]{64}");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("token"))))
          .isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
          .isEqualTo("rwx------");
      RegistryInfo info = readInfo(home);
      assertThat(info.getAddress()).isEqualTo("127.0.0.1:" + registry.port());
      assertThat(info.getPid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(registry.address().getAddress().isLoopbackAddress()).isTrue();
    } finally {
      registry.close();
    }
    registry.close(); // idempotent

    assertThat(home.resolve("registry.json")).doesNotExist();
    assertThat(registry.awaitTermination(Duration.ofSeconds(1))).isTrue();
    try (BerthRegistry again = builder(home).port(0).build().start()) {
      assertThat(again.port()).isPositive();
      assertThat(Files.readString(home.resolve("token")).trim()).as("token reused").isEqualTo(token);
    }
  }

  @Test
  void start_whenStateDirAlreadyHasARegistry_failsNamingItAndLeavesItUntouched() throws Exception {
    try (BerthRegistry first = builder(dir).port(0).build().start()) {
      String infoBefore = Files.readString(dir.resolve("registry.json"));

      assertThatThrownBy(() -> builder(dir).port(0).build().start())
          .isInstanceOf(IOException.class)
          .hasMessageContaining("state dir " + dir.toAbsolutePath() + " already has a running registry")
          .hasMessageContaining("pid " + ProcessHandle.current().pid() + " at 127.0.0.1:" + first.port());

      assertThat(Files.readString(dir.resolve("registry.json"))).isEqualTo(infoBefore);
    }
    // the lock went with the first registry
    try (BerthRegistry next = builder(dir).port(0).build().start()) {
      assertThat(readInfo(dir).getAddress()).isEqualTo("127.0.0.1:" + next.port());
    }
  }

  @Test
  void start_whenDefaultPortTaken_listensOnAnother() throws Exception {
    try (ServerSocket squatter = TestPools.squat(TestPools.take(1).first());
        BerthRegistry registry = builder(dir)
            .defaultPort(squatter.getLocalPort()).build().start()) {
      assertThat(registry.port()).isNotEqualTo(squatter.getLocalPort()).isPositive();
      assertThat(readInfo(dir).getAddress()).isEqualTo("127.0.0.1:" + registry.port());
    }
  }

  @Test
  void start_whenExplicitPortTaken_failsNamingThePortAndHolder() throws Exception {
    try (ServerSocket squatter = TestPools.squat(TestPools.take(1).first())) {
      BerthRegistry registry = builder(dir).port(squatter.getLocalPort()).build();

      assertThatThrownBy(registry::start)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("127.0.0.1:" + squatter.getLocalPort())
          .hasMessageContaining("pid " + ProcessHandle.current().pid());
      assertThat(dir.resolve("registry.json")).doesNotExist();
    }
  }

  @Test
  void start_removesADeadRegistrysRegistryJsonOnceItHoldsTheLock_evenWhenItThenFails() throws Exception {
    // a registry.json a kill -9'd registry left names ports anyone may hold now: a client that
    // believed it while this registry starts (it holds the lifetime lock) would hand its token
    // to whoever listens there
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.writeString(dir.resolve("registry.json"), "{\n  \"address\": \"127.0.0.1:1\",\n"
        + "  \"pid\": \"1\",\n  \"httpAddress\": \"127.0.0.1:2\"\n}\n");
    try (ServerSocket squatter = TestPools.squat(TestPools.take(1).first())) {
      BerthRegistry registry = builder(dir).port(squatter.getLocalPort()).build();

      assertThatThrownBy(registry::start).isInstanceOf(IOException.class);
      assertThat(dir.resolve("registry.json")).doesNotExist();
    }
  }

  @Test
  void start_twice_isRefused() throws Exception {
    try (BerthRegistry registry = builder(dir).port(0).build().start()) {
      assertThatThrownBy(registry::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already started");
    }
  }

  @Test
  void builder_withBadValues_failsNamingThem() {
    assertThatThrownBy(() -> BerthRegistry.builder().port(70000))
        .hasMessage("port: 70000 (expected: 0..65535)");
    assertThatThrownBy(() -> BerthRegistry.builder().defaultPort(-1))
        .hasMessage("defaultPort: -1 (expected: 0..65535)");
    assertThatThrownBy(() -> BerthRegistry.builder().ports(200, 100))
        .hasMessageContaining("ports: 200-100");
    assertThatThrownBy(() -> BerthRegistry.builder().reservationTimeout(Duration.ZERO))
        .hasMessageContaining("reservationTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> BerthRegistry.builder().build())
        .hasMessageContaining("stateDir");
  }

  /** A registry builder with a pool of this test's own: even the registry's own berth/metrics takes one. */
  private static BerthRegistry.Builder builder(Path stateDir) {
    PortRange pool = TestPools.take(2);
    return BerthRegistry.builder().stateDir(stateDir).ports(pool.first(), pool.last());
  }

  static RegistryInfo readInfo(Path home) throws IOException {
    RegistryInfo.Builder b = RegistryInfo.newBuilder();
    JsonFormat.parser().merge(Files.readString(home.resolve("registry.json"), StandardCharsets.UTF_8), b);
    return b.build();
  }
}
