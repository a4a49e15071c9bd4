package dev.berth.cli.internal.stack;

import java.nio.file.Path;

/** Where in a stack file something was written: 1-based line and column, for messages. */
public record SourceMark(Path file, int line, int column) {

  /** {@code berth.yaml:12:5}: the file as given, then line and column. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
