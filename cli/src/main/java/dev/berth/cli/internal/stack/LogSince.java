package dev.berth.cli.internal.stack;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code berth logs --since}: a duration back from now ({@code 10m}, {@code 90s}, {@code 1h30m},
 * {@code 500ms}, {@code 2d}) or a time ({@code 2026-12-02T04:00:00Z}, or with an offset,
 * {@code 2026-12-02T05:00:00+01:00}).
 */
public final class LogSince {

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");

  private LogSince() {}

  /** The instant {@code value} names, with durations counted back from {@code now}. */
  public static Instant parse(String value, Instant now) {
    String v = value.strip();
    if (DURATION.matcher(v).matches()) {
      Duration back = Duration.ZERO;
      Matcher part = PART.matcher(v);
      while (part.find()) {
        long n = Long.parseLong(part.group(1));
        back = back.plus(switch (part.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        });
      }
      return now.minus(back);
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--since: '" + value + "' (expected: a duration such as"
          + " 10m, 90s, 1h30m, or a time such as 2026-12-02T04:00:00Z)", e);
    }
  }
}
