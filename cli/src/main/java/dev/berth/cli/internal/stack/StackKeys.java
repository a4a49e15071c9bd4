package dev.berth.cli.internal.stack;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The keys a berth.yaml may hold, at each level, and the "did you mean" of a misspelt one.
 * {@code docs/berth.schema.json} names the same keys (StackSchemaTest holds them equal).
 *
 * <p>Thread-safe (constants).
 */
final class StackKeys {

  static final List<String> TOP = List.of("name", "services");
  static final List<String> SERVICE = List.of("command", "dir", "env", "endpoints", "depends_on",
      "ready", "restart", "instances", "lease", "debug");
  static final List<String> READY = List.of("http", "tcp", "endpoint", "timeout");
  static final List<String> RESTART = List.of("policy", "max_restarts", "window", "backoff",
      "max_backoff");

  /** Top-level keys with this prefix are ignored: a place for YAML anchors, as in compose files. */
  static final String EXTENSION_PREFIX = "x-";

  private StackKeys() {}

  /**
   * {@code where: unknown key 'depends-on' (did you mean 'depends_on'?)}, or with the list of
   * known keys when none is close.
   */
  static String unknown(String where, String key, Collection<String> known) {
    return where + ": unknown key '" + YamlNodes.shown(key) + "' "
        + nearest(key, known).map(k -> "(did you mean '" + k + "'?)")
            .orElse("(expected: one of " + String.join(", ", known) + ")");
  }

  /** The known word closest to {@code given}, when a slip of one or two characters away. */
  static Optional<String> nearest(String given, Collection<String> known) {
    String normal = given.toLowerCase(Locale.ROOT).replace('-', '_');
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int d = distance(normal, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int allowed = Math.min(2, Math.max(1, given.length() / 3));
    return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
  }

  /** Levenshtein distance, with a swap of two neighbours counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
