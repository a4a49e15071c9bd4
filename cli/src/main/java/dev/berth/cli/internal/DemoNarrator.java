package dev.berth.cli.internal;

import java.io.PrintWriter;

/**
 * The lines {@code berth demo} prints: a step's label in a column of its own, the notes under it
 * indented by {@link #INDENT}. Thread-safe: a line from the cleanup hook or a sample's output
 * echo never lands inside another.
 */
final class DemoNarrator {

  /** Under a step's label: notes, tables, the samples' own lines. */
  static final String INDENT = "           ";

  private final PrintWriter out;

  DemoNarrator(PrintWriter out) {
    this.out = out;
  }

  /** Where the tables ({@code berth ls}, {@code berth top}) and the samples' lines go. */
  PrintWriter out() {
    return out;
  }

  /** {@code label} padded to 10 columns, then {@code text}. */
  void step(String label, String text) {
    say("%-10s %s", label, text);
  }

  /** An indented line under the current step; {@code format} as {@link #say}. */
  void note(String format, Object... args) {
    say(INDENT + format, args);
  }

  /** One line: {@code format} as it is without {@code args}, else through {@link String#format}. */
  void say(String format, Object... args) {
    synchronized (out) {
      out.println(args.length == 0 ? format : String.format(format, args));
      out.flush();
    }
  }
}
