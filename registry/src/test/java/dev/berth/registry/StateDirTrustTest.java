package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Like ssh with ~/.ssh: a state dir or token another user owns or can write is refused. */
class StateDirTrustTest {

  private static final int OTHER_UID = 65534;
  private static final String KNOWN_TOKEN = "0123456789abcdef".repeat(4);

  @TempDir Path temp;

  @Test
  void start_onADirOfAnotherUserWithAKnownToken_refusesNamingPathOwnerModeAndFix() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("theirs"));
    Path token = Files.writeString(dir.resolve("token"), KNOWN_TOKEN + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    chownOrSkip(token);
    chownOrSkip(dir);

    BerthRegistry registry = BerthRegistry.builder().stateDir(dir).port(0).metricsEndpoint(false).build();
    assertThatThrownBy(registry::start)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("uid " + OTHER_UID)
        .hasMessageContaining("mode 0777")
        .hasMessageContaining("fix:")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(dir.resolve("registry.json")).doesNotExist();
  }

  @Test
  void start_withATokenReadableByOthers_refusesIt() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("berth"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path token = Files.writeString(dir.resolve("token"), KNOWN_TOKEN + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));

    BerthRegistry registry = BerthRegistry.builder().stateDir(dir).port(0).metricsEndpoint(false).build();
    assertThatThrownBy(registry::start)
        .hasMessageContaining(token.toString())
        .hasMessageContaining("mode 0644")
        .hasMessageContaining("fix: remove it");
    assertThat(dir.resolve("registry.json")).doesNotExist();
  }

  @Test
  void start_withATokenOfAnotherUser_refusesIt() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("berth"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path token = Files.writeString(dir.resolve("token"), KNOWN_TOKEN + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    chownOrSkip(token);

    BerthRegistry registry = BerthRegistry.builder().stateDir(dir).port(0).metricsEndpoint(false).build();
    assertThatThrownBy(registry::start)
        .hasMessageContaining(token.toString())
        .hasMessageContaining("uid " + OTHER_UID);
  }

  @Test
  void start_createsTheDir0700AndEveryFileInIt0600() throws Exception {
    Path dir = temp.resolve("new/berth");
    try (TestRegistry reg = TestRegistry.start(dir, 4)) { // with the metrics berth: berths.json too
      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(dir.resolve("berths.json")).exists();
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files).isNotEmpty().allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
      }
    }
  }

  @Test
  void start_onItsOwnLooseDirFromAnOlderBerth_tightensIt() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("berth"));
    Files.writeString(dir.resolve("registry.log"), "an older registry\n");
    Files.setPosixFilePermissions(dir.resolve("registry.log"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    try (TestRegistry reg = TestRegistry.start(dir, 4)) {
      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(mode(dir.resolve("registry.log"))).isEqualTo("rw-------");
    }
  }

  private static void chownOrSkip(Path path) {
    try {
      Files.setAttribute(path, "unix:uid", OTHER_UID);
    } catch (IOException | UnsupportedOperationException e) {
      Assumptions.abort("cannot chown " + path + " to uid " + OTHER_UID + ": " + e);
    }
  }

  private static String mode(Path p) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
