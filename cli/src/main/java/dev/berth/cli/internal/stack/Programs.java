package dev.berth.cli.internal.stack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a command's program can be started, checked before anything starts so that a typo is
 * a line in the file rather than a service that fails after its dependencies came up.
 *
 * <p>Thread-safe (stateless).
 */
final class Programs {

  private Programs() {}

  /**
   * Empty when {@code program} is found, else what is wrong with it: a path (it holds a
   * {@code /}) is resolved against {@code dir}, a bare name is looked up on {@code path} (a
   * {@code $PATH} value) as {@code execvp} does.
   */
  static Optional<String> problem(String program, Path dir, String path) {
    String shown = "'" + YamlNodes.shown(program) + "'";
    if (program.contains("/")) {
      Path file;
      try {
        file = dir.resolve(program).normalize();
      } catch (InvalidPathException e) {
        return Optional.of(shown + " is not a path (expected: a program, relative to " + dir + ")");
      }
      if (!Files.exists(file)) {
        return Optional.of(shown + " not found: no " + file
            + " (expected: a program, a path relative to " + dir + ")");
      }
      if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
        return Optional.of(shown + " is not an executable file (chmod +x " + file + ")");
      }
      return Optional.empty();
    }
    for (String entry : (path == null ? "" : path).split(File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      try {
        Path candidate = Path.of(entry).resolve(program);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.empty();
        }
      } catch (InvalidPathException e) {
        // a $PATH entry that is no path cannot hold the program
      }
    }
    return Optional.of(shown + " not found on $PATH (expected: a program on $PATH, or a path such as"
        + " ./bin/" + YamlNodes.shown(program) + " relative to " + dir + ")");
  }
}
