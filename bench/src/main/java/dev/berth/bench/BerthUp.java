package dev.berth.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/berth up} as a user runs it in the foreground, as a child of the bench, in a temp
 * state dir whose registry is already running; stopped as Ctrl-C would stop it.
 */
final class BerthUp {
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private BerthUp() {}

  /** {@code bin/berth up -f FILE SERVICE...} in the stack file's directory, without colour. */
  static Children.Child start(Children children, Path script, Path file, List<String> services, Path home,
      String pool, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(script.toString(), "up", "-f", file.toString()));
    command.addAll(services);
    return children.program(command, file.getParent(), env(home, pool), log);
  }

  /**
   * Runs {@code bin/berth --help} once, so that a stale {@code berth.jar} (which holds the
   * samples) is rebuilt before any clock runs.
   */
  static void build(Path script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(script.toString(), "--help")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(script + " --help did not run (is berth.jar buildable?)");
    }
  }

  /** The environment of every process of a stack round: the temp state dir and the bench's pool. */
  static Map<String, String> env(Path home, String pool) {
    return Map.of("BERTH_HOME", home.toString(), "BERTH_PORTS", pool, "NO_COLOR", "1");
  }

  /**
   * SIGTERM, as a terminal's Ctrl-C would send SIGINT: the supervisor stops its stack in reverse
   * order and exits; SIGKILL after {@link #STOP_WAIT}. Then kills whatever of the run is left
   * ({@link Leftovers}) and returns how many that was (0 when the supervisor cleaned up).
   */
  static int stop(Children.Child up, Path home) throws InterruptedException {
    up.process.destroy();
    if (!up.process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      up.kill();
    }
    return Leftovers.kill(home);
  }
}
