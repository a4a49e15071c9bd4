package dev.berth.cli.internal.stack;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and reads a stack file: {@code -f FILE}, else the nearest {@code berth.yaml} (else
 * {@code Procfile}) from the current directory up.
 *
 * <pre>{@code
 * StackFile stack = StackFiles.load(Path.of(""), Optional.empty());
 * }</pre>
 *
 * <p>Thread-safe (stateless). It reads the file and checks that each command's program and
 * {@code dir} exist; it starts nothing.
 */
public final class StackFiles {

  private StackFiles() {}

  /**
   * Reads the stack {@code explicit} names, or the one {@link StackNamespace#locate} finds from
   * {@code cwd}.
   *
   * @throws StackFileException with file:line:column for anything invalid, or naming where it
   *     looked when there is no stack file
   */
  public static StackFile load(Path cwd, Optional<Path> explicit) {
    return load(cwd, explicit, System.getenv());
  }

  /** {@link #load(Path, Optional)} with commands looked up on {@code environment}'s PATH. */
  static StackFile load(Path cwd, Optional<Path> explicit, Map<String, String> environment) {
    Path file = explicit.map(f -> cwd.toAbsolutePath().resolve(f).normalize()).orElseGet(() -> find(cwd));
    String text = read(file);
    if (!isProcfile(file)) {
      return StackYaml.read(file, text, environment);
    }
    Path dotEnv = file.resolveSibling(DotEnv.NAME);
    return Procfile.read(file, text, Files.isRegularFile(dotEnv) ? Optional.of(read(dotEnv))
        : Optional.empty(), environment);
  }

  /** A file named {@code Procfile} or {@code Procfile.*} (foreman's {@code -f Procfile.dev}). */
  static boolean isProcfile(Path file) {
    String name = file.getFileName().toString();
    return name.equals(StackNamespace.PROCFILE) || name.startsWith(StackNamespace.PROCFILE + ".");
  }

  private static Path find(Path cwd) {
    Path start = cwd.toAbsolutePath().normalize();
    Path dir = StackNamespace.locate(start).orElseThrow(() -> new StackFileException("no "
        + StackNamespace.BERTH_YAML + " or " + StackNamespace.PROCFILE + " in " + start
        + " or any parent (create one, or give -f FILE)"));
    Path yaml = dir.resolve(StackNamespace.BERTH_YAML);
    return Files.isRegularFile(yaml) ? yaml : dir.resolve(StackNamespace.PROCFILE);
  }

  private static String read(Path file) {
    if (!Files.exists(file)) {
      throw new StackFileException("no such file: " + file + " (expected: a berth.yaml or a Procfile)");
    }
    if (!Files.isRegularFile(file)) {
      throw new StackFileException(file + ": not a file (expected: a berth.yaml or a Procfile)");
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new StackFileException(file + ": not UTF-8 text (expected: a berth.yaml or a Procfile)");
    } catch (IOException e) {
      throw new StackFileException("cannot read " + file + ": " + e);
    }
  }
}
