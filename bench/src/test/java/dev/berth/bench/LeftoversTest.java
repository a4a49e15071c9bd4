package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoversTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void contains_matchesAWholeEntryOnly() {
    byte[] environ = bytes("PATH=/bin\0BERTH_HOME=/tmp/b1\0X=1\0");

    assertThat(Leftovers.contains(environ, bytes("BERTH_HOME=/tmp/b1"))).isTrue();
    assertThat(Leftovers.contains(environ, bytes("BERTH_HOME=/tmp/b"))).isFalse();
    assertThat(Leftovers.contains(environ, bytes("X=1"))).isTrue();
    assertThat(Leftovers.contains(bytes("BERTH_HOME=/tmp/b1"), bytes("BERTH_HOME=/tmp/b1"))).isTrue();
  }

  @Test
  void kill_killsTheProcessesOfThatStateDirAndNoOther(@TempDir Path home, @TempDir Path other) throws Exception {
    ProcessBuilder ours = new ProcessBuilder("sleep", "60");
    ours.environment().put("BERTH_HOME", home.toString());
    ProcessBuilder theirs = new ProcessBuilder("sleep", "60");
    theirs.environment().put("BERTH_HOME", other.toString());
    Process a = ours.start();
    Process b = theirs.start();
    try {
      assertThat(Leftovers.kill(home)).isEqualTo(1);

      assertThat(a.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(b.isAlive()).isTrue();
    } finally {
      a.destroyForcibly();
      b.destroyForcibly();
    }
  }
}
