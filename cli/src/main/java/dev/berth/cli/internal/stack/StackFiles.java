package dev.berth.cli.internal.stack;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds and reads a stack file: {@code -f FILE}, else the nearest {@code berth.yaml} (else
 * {@code Procfile}) from the current directory up.
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
    throw new UnsupportedOperationException("skeleton: the stack-file branch implements this");
  }
}
