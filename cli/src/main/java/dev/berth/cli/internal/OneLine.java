package dev.berth.cli.internal;

/** An error message as the one line on stderr every failure of the CLI is. Stateless. */
final class OneLine {

  private OneLine() {}

  /** {@code s} stripped, each line break and the blanks around it as {@code "; "}; null is "". */
  static String of(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
