package dev.berth.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirTest {

  private static final int OTHER_UID = 65534;

  @TempDir
  Path temp;

  @Test
  void defaultPath_prefersPropertyThenBerthHomeThenXdgRuntimeDirThenUserHome_blankIsUnset() {
    Map<String, String> env = Map.of("BERTH_HOME", "/b", "XDG_RUNTIME_DIR", "/run/user/7");
    assertThat(StateDir.defaultPath("/p", env, "/home/u")).isEqualTo(Path.of("/p"));
    assertThat(StateDir.defaultPath(" ", env, "/home/u")).isEqualTo(Path.of("/b"));
    assertThat(StateDir.defaultPath(null, Map.of("BERTH_HOME", " ", "XDG_RUNTIME_DIR", "/run/user/7"), "/home/u"))
        .isEqualTo(Path.of("/run/user/7/berth"));
    assertThat(StateDir.defaultPath(null, Map.of("XDG_RUNTIME_DIR", ""), "/home/u"))
        .isEqualTo(Path.of("/home/u/.berth"));
  }

  @Test
  void prepare_createsTheDirOwnerOnly() throws IOException {
    Path dir = temp.resolve("a/berth");
    StateDir.of(dir).prepare();
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(StateDir.of(dir).createFile(StateDir.LOG))).isEqualTo("rw-------");
  }

  @Test
  void prepare_tightensALooseDirHoldingOnlyBerthFiles() throws IOException {
    Path dir = Files.createDirectory(temp.resolve("berth"));
    Files.writeString(dir.resolve("registry.log"), "old\n");
    Files.writeString(dir.resolve("berths.json.unreadable-1"), "x");
    Files.createDirectory(dir.resolve(StateDir.SOCKETS)); // the servers' Unix sockets are Berth's too
    Files.setPosixFilePermissions(dir.resolve("registry.log"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

    StateDir.of(dir).prepare();

    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(dir.resolve("registry.log"))).isEqualTo("rw-------");
  }

  @Test
  void prepare_refusesADirWritableByOthersHoldingOtherFiles_namingModeAndFix() throws IOException {
    Path dir = Files.createDirectory(temp.resolve("shared"));
    Files.writeString(dir.resolve("notes.txt"), "not Berth's");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> StateDir.of(dir).prepare())
        .isInstanceOf(StateDirRefusedException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("mode 0777")
        .hasMessageContaining("fix: chmod 700 " + dir);
    assertThat(mode(dir)).isEqualTo("rwxrwxrwx"); // not Berth's to change
  }

  @Test
  void check_refusesADirOwnedByAnotherUser() throws IOException {
    Path dir = Files.createDirectory(temp.resolve("theirs"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    chownOrSkip(dir);

    assertThatThrownBy(() -> StateDir.of(dir).prepare())
        .isInstanceOf(StateDirRefusedException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("uid " + OTHER_UID)
        .hasMessageContaining("mode 0700")
        .hasMessageContaining("fix:");
    assertThatThrownBy(() -> StateDir.of(dir).readToken()).isInstanceOf(StateDirRefusedException.class);
  }

  @Test
  void readToken_refusesATokenReadableByOthers() throws IOException {
    Path dir = Files.createDirectory(temp.resolve("berth"), 
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path token = Files.writeString(dir.resolve("token"), "a".repeat(64) + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> StateDir.of(dir).readToken())
        .isInstanceOf(StateDirRefusedException.class)
        .hasMessageContaining(token.toString())
        .hasMessageContaining("mode 0644")
        .hasMessageContaining("fix: remove it");
    // prepare() does not repair it either: others may already know it
    assertThatThrownBy(() -> StateDir.of(dir).prepare().readToken()).isInstanceOf(StateDirRefusedException.class);
  }

  @Test
  void readToken_refusesATokenOwnedByAnotherUser() throws IOException {
    Path dir = Files.createDirectory(temp.resolve("berth"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path token = Files.writeString(dir.resolve("token"), "a".repeat(64) + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    chownOrSkip(token);

    assertThatThrownBy(() -> StateDir.of(dir).readToken())
        .isInstanceOf(StateDirRefusedException.class)
        .hasMessageContaining(token.toString())
        .hasMessageContaining("uid " + OTHER_UID)
        .hasMessageContaining("mode 0600");
  }

  @Test
  void readToken_ofTheUsersOwn0600Token_returnsIt() throws IOException {
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();
    Path token = Files.writeString(dir.file("token"), "b".repeat(64) + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    assertThat(dir.readToken()).contains("b".repeat(64));
  }

  @Test
  void readRegistryInfo_namesTheFileItCannotParse() throws IOException {
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();
    assertThat(dir.readRegistryInfo()).isEmpty();
    Files.writeString(dir.file("registry.json"), "{\"address\": ");
    assertThatThrownBy(dir::readRegistryInfo).hasMessageContaining(dir.file("registry.json").toString());
    Files.writeString(dir.file("registry.json"), "{\"address\": \"127.0.0.1:5\", \"pid\": \"42\"}");
    assertThat(dir.readRegistryInfo().orElseThrow().getPid()).isEqualTo(42);
  }

  static void chownOrSkip(Path path) {
    try {
      Files.setAttribute(path, "unix:uid", OTHER_UID);
    } catch (IOException | UnsupportedOperationException e) {
      Assumptions.abort("cannot chown " + path + " to uid " + OTHER_UID + ": " + e);
    }
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
