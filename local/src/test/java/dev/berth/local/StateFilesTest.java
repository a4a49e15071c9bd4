package dev.berth.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proto.v1.RegistryInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** registry.json and token: the one writer (the registry's) and the one reader (everyone's). */
class StateFilesTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T19:58:04Z"), ZoneOffset.UTC);

  @TempDir
  Path temp;

  @Test
  void writeRegistryInfo_isReadBack_ownerOnly_andRemovedOnlyWhileItIsOurs() throws IOException {
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();
    RegistryInfo ours = RegistryInfo.newBuilder().setAddress("127.0.0.1:40001").setPid(42).build();

    dir.writeRegistryInfo(ours, CLOCK);

    assertThat(dir.readRegistryInfo()).contains(ours);
    assertThat(Files.readString(dir.file(StateDir.REGISTRY_JSON))).contains("\"pid\": \"42\"");
    assertThat(mode(dir.file(StateDir.REGISTRY_JSON))).isEqualTo("rw-------");

    RegistryInfo later = ours.toBuilder().setPid(43).build();
    dir.writeRegistryInfo(later, CLOCK);
    dir.removeRegistryInfo(ours); // a registry that started later owns the file now
    assertThat(dir.readRegistryInfo()).contains(later);
    dir.removeRegistryInfo(later);
    assertThat(dir.readRegistryInfo()).isEmpty();
  }

  @Test
  void writeRegistryInfo_overADirectory_movesItAsideNamedByTheClock() throws IOException {
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();
    Files.createDirectory(dir.file(StateDir.REGISTRY_JSON));

    dir.writeRegistryInfo(RegistryInfo.newBuilder().setAddress("127.0.0.1:40001").build(), CLOCK);

    assertThat(dir.readRegistryInfo()).isPresent();
    assertThat(dir.file("registry.json.unreadable-20261201T195804Z")).isDirectory();
  }

  @Test
  void loadOrCreateToken_createsOne0600_thenReusesIt_andReplacesOneThatHoldsNoToken() throws IOException {
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();

    String token = dir.loadOrCreateToken(CLOCK);

    assertThat(token).matches("[0-9a-f]{64}");
    assertThat(mode(dir.file(StateDir.TOKEN))).isEqualTo("rw-------");
    assertThat(dir.loadOrCreateToken(CLOCK)).isEqualTo(token);
    assertThat(dir.readToken()).contains(token);
    try (Stream<Path> files = Files.list(dir.path())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("token"); // no temp left
    }

    Files.writeString(dir.file(StateDir.TOKEN), "not a token\n");
    String fresh = dir.loadOrCreateToken(CLOCK);
    assertThat(fresh).isNotEqualTo(token).matches("[0-9a-f]{64}");
    assertThat(Files.readString(dir.file("token.unreadable-20261201T195804Z"))).isEqualTo("not a token\n");
  }

  @Test
  void loadOrCreateToken_refusesOneOthersCanRead_andLeavesIt() throws IOException {
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();
    Files.writeString(dir.file(StateDir.TOKEN), "a".repeat(64) + "\n");
    Files.setPosixFilePermissions(dir.file(StateDir.TOKEN), PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> dir.loadOrCreateToken(CLOCK))
        .isInstanceOf(StateDirRefusedException.class)
        .hasMessageContaining("mode 0644");
    assertThat(Files.readString(dir.file(StateDir.TOKEN))).startsWith("aaaa");
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }
}
