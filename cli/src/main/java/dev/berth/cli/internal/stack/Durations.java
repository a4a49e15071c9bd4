package dev.berth.cli.internal.stack;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as a stack file writes them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}.
 *
 * <p>Thread-safe (stateless).
 */
final class Durations {

  static final String SHAPE = "a duration such as 500ms, 30s or 2m";

  /** The form, as {@code docs/berth.schema.json}'s duration pattern spells it too. */
  static final String REGEX = "([0-9]{1,9})(ms|s|m|h)";

  private static final Pattern DURATION = Pattern.compile(REGEX);

  private Durations() {}

  /** The duration {@code text} writes; {@link IllegalArgumentException} when it is not one. */
  static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + YamlNodes.shown(text) + "' (expected: " + SHAPE + ")");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
