package dev.berth.cli.internal.stack;

import java.io.IOException;
import java.io.Reader;
import java.util.function.Consumer;

/**
 * Splits what a process prints into lines of at most {@link #MAX_CHARS} characters: a service
 * that prints megabytes without a newline must not grow the supervisor's heap (it runs in 96 MiB)
 * by one line's worth. A longer line is passed on in pieces; {@code \n} ends a line, and a
 * {@code \r} before it is dropped. Used by one reader thread per stream.
 */
final class BoundedLines {

  static final int MAX_CHARS = 16 * 1024;

  private BoundedLines() {}

  /** Calls {@code line} for each line of {@code in}, until its end (a last line without {@code \n} too). */
  static void forEach(Reader in, int maxChars, Consumer<String> line) throws IOException {
    char[] buffer = new char[8192];
    StringBuilder current = new StringBuilder();
    for (int n; (n = in.read(buffer)) != -1; ) {
      for (int k = 0; k < n; k++) {
        char c = buffer[k];
        if (c == '\n') {
          int end = current.length();
          if (end > 0 && current.charAt(end - 1) == '\r') {
            current.setLength(end - 1);
          }
          line.accept(current.toString());
          current.setLength(0);
        } else {
          current.append(c);
          if (current.length() >= maxChars) {
            line.accept(current.toString());
            current.setLength(0);
          }
        }
      }
    }
    if (current.length() > 0) {
      line.accept(current.toString());
    }
  }
}
