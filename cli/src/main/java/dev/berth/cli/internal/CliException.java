package dev.berth.cli.internal;

/** A failure to report as one line on stderr, with the exit code to return. */
public final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  private CliException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A failure: exit 1. */
  public static CliException failure(String message) {
    return new CliException(message, 1, null);
  }

  /** A failure caused by {@code cause}: exit 1 (its stack trace shows under --verbose). */
  public static CliException failure(String message, Throwable cause) {
    return new CliException(message, 1, cause);
  }

  /** A failure with a specific exit code (127: a command that could not be started). */
  public static CliException withExitCode(int exitCode, String message, Throwable cause) {
    return new CliException(message, exitCode, cause);
  }

  public int exitCode() {
    return exitCode;
  }
}
