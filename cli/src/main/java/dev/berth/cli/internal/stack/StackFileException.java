package dev.berth.cli.internal.stack;

/**
 * A stack file that cannot be run: its message is one line, {@code FILE:LINE:COLUMN: what is
 * wrong (what was expected)}, and nothing has been started.
 */
public final class StackFileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StackFileException(SourceMark where, String message) {
    super(where + ": " + message);
  }

  /** For a problem that has no line (the file is missing, unreadable, or empty). */
  public StackFileException(String message) {
    super(message);
  }
}
