package dev.berth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processes of a bench run that nobody is waiting for: what {@code berth up} started (each in
 * a session of its own, so a kill of {@code berth up} does not reach them) is found by the
 * {@code BERTH_HOME} of the run's temp state dir in its environment, and killed.
 */
final class Leftovers {
  private Leftovers() {}

  /** SIGKILLs every process of this user whose environment has {@code BERTH_HOME=home}; how many. */
  static int kill(Path home) {
    byte[] entry = ("BERTH_HOME=" + home).getBytes(StandardCharsets.UTF_8);
    List<ProcessHandle> found;
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      found = all.filter(p -> p.pid() != ProcessHandle.current().pid() && hasEntry(p.pid(), entry)).toList();
    }
    found.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : found) {
      p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> p).join();
    }
    return found.size();
  }

  /** Whether {@code /proc/PID/environ} (NUL-separated) holds exactly {@code entry}. */
  static boolean hasEntry(long pid, byte[] entry) {
    byte[] environ;
    try {
      environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
    } catch (IOException | SecurityException e) {
      return false; // gone, or another user's
    }
    return contains(environ, entry);
  }

  static boolean contains(byte[] environ, byte[] entry) {
    int start = 0;
    for (int i = 0; i <= environ.length; i++) {
      if (i == environ.length || environ[i] == 0) {
        if (i - start == entry.length
            && java.util.Arrays.equals(environ, start, i, entry, 0, entry.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }
}
