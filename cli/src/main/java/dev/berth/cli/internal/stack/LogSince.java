package dev.berth.cli.internal.stack;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * {@code berth logs --since}: a duration back from now, in a stack file's words ({@link
 * Durations}: {@code 10m}, {@code 90s}, {@code 2h}, {@code 500ms}), or a time ({@code
 * 2026-12-02T04:00:00Z}, or with an offset, {@code 2026-12-02T05:00:00+01:00}). Stateless.
 */
public final class LogSince {

  private LogSince() {}

  /** The instant {@code value} names, with a duration counted back from {@code now}. */
  public static Instant parse(String value, Instant now) {
    String v = value.strip();
    if (!v.isEmpty() && Character.isDigit(v.charAt(0)) && !v.contains("T")) {
      try {
        return now.minus(Durations.parse(v));
      } catch (IllegalArgumentException e) {
        throw refused(value, e);
      }
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw refused(value, e);
    }
  }

  private static IllegalArgumentException refused(String value, Exception cause) {
    return new IllegalArgumentException("--since: '" + value + "' (expected: a duration such as 10m,"
        + " 90s or 2h, or a time such as 2026-12-02T04:00:00Z)", cause);
  }
}
