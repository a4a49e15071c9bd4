package dev.berth.cli.internal.stack;

/**
 * Where the supervisor sends every line its processes print, and its own lines about them. The
 * foreground console (coloured name prefixes) and the per-service log files both implement it.
 * Called from several threads at once (one reader per process stream); implementations keep each
 * line whole.
 */
public interface StackOutput {

  enum Stream { OUT, ERR }

  /** One line (without its line terminator) that instance {@code instance} printed. */
  void line(String service, int instance, Stream stream, String text);

  /**
   * One line of the supervisor's own about a service ({@code "live on 127.0.0.1:61001"},
   * {@code "exited with code 1; restarting in 0.4 s on the same port"}).
   */
  void event(String service, int instance, String text);
}
