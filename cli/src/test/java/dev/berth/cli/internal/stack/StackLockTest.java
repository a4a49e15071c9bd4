package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.internal.CliException;
import dev.berth.local.internal.StackStateFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One supervisor per stack, and the stack dir made as the state dir is (0700 all the way). */
class StackLockTest {

  @TempDir
  Path tmp;

  @Test
  void secondSupervisorOfOneStack_isRefusedNamingTheStack_untilTheFirstLetsGo() throws Exception {
    StackStateFile state = StackStateFile.of(tmp.resolve("home"), "shop-1a2b3c");
    try (StackLock first = StackLock.acquire(state, "shop-1a2b3c")) {
      assertThatThrownBy(() -> StackLock.acquire(state, "shop-1a2b3c"))
          .isInstanceOf(CliException.class)
          .hasMessage("stack shop-1a2b3c is already up (another berth up holds "
              + state.dir().resolve("supervisor.lock") + "): 'berth ps' shows it, 'berth down' stops it");
      // another stack of the same state dir is its own
      StackLock.acquire(StackStateFile.of(tmp.resolve("home"), "shop-9f8e7d"), "shop-9f8e7d").close();
    }
    StackLock.acquire(state, "shop-1a2b3c").close();
  }

  @Test
  void createDir_makesTheStateDirAndStacksDir0700_underAnyUmask() throws Exception {
    Path home = tmp.resolve("fresh-home");
    StackStateFile.of(home, "shop-1a2b3c").createDir();
    for (Path dir : new Path[] {home, home.resolve("stacks"), home.resolve("stacks/shop-1a2b3c")}) {
      assertThat(Files.getPosixFilePermissions(dir)).as(dir.toString())
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }
  }
}
