package dev.berth.cli.internal.stack;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * One line of a stack's log file: {@code <instant, UTC, ms> <instance> <out|err|berth> <text>}.
 * The instant has a fixed width, so that the lines of one file sort as text and a person reads
 * them as times; {@code berth} marks the supervisor's own lines about the service.
 *
 * @param service the file's service (not written in the line: the file names it)
 * @param instance 1..N; 0 for a line of the supervisor's about every instance
 */
public record LogRecord(Instant time, String service, int instance, Kind kind, String text) {

  /** Which stream a line came from. */
  public enum Kind {
    OUT, ERR, BERTH;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  /**
   * The line, with its terminator; line breaks inside {@code text} become spaces (one record, one
   * line), and a text longer than {@code maxChars} is cut and marked.
   */
  String format(long maxChars) {
    String body = text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    if (body.length() > maxChars) {
      body = body.substring(0, (int) maxChars) + " [cut: " + (body.length() - maxChars) + " more chars]";
    }
    return TIME.format(time) + " " + instance + " " + kind.word() + " " + body + "\n";
  }

  /** The record of {@code line} (without its terminator) of {@code service}'s file; empty if it is not one. */
  static Optional<LogRecord> parse(String service, String line) {
    int a = line.indexOf(' ');
    int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
    int c = b < 0 ? -1 : line.indexOf(' ', b + 1);
    if (c < 0) {
      return Optional.empty();
    }
    try {
      Instant time = Instant.parse(line.substring(0, a));
      int instance = Integer.parseInt(line.substring(a + 1, b));
      Kind kind = Kind.valueOf(line.substring(b + 1, c).toUpperCase(Locale.ROOT));
      return Optional.of(new LogRecord(time, service, instance, kind, line.substring(c + 1)));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
