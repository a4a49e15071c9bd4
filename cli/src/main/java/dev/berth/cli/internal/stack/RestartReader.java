package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.stack.ServiceSpec.RestartPolicy;
import dev.berth.cli.internal.stack.ServiceSpec.RestartPolicy.Mode;
import java.time.Duration;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A service's {@code restart:}: {@code no}, {@code on-failure} or {@code always}, or a map of
 * {@code policy}, {@code max_restarts}, {@code window}, {@code backoff}, {@code max_backoff};
 * what is left out is {@link RestartPolicy#DEFAULT}'s.
 *
 * <p>Thread-safe (stateless).
 */
final class RestartReader {

  static final String MODES = "no, on-failure or always";

  private RestartReader() {}

  static RestartPolicy read(YamlNodes nodes, Node v, String at) {
    RestartPolicy d = RestartPolicy.DEFAULT;
    if (v instanceof ScalarNode) {
      return new RestartPolicy(mode(nodes, v, at), d.maxRestarts(), d.window(), d.backoff(),
          d.maxBackoff());
    }
    Mode mode = d.mode();
    int maxRestarts = d.maxRestarts();
    Duration window = d.window();
    Duration backoff = d.backoff();
    Duration maxBackoff = d.maxBackoff();
    Node maxBackoffNode = null;
    for (YamlNodes.Entry e : nodes.map(v, at, MODES + ", or a map with policy:")) {
      String key = at + "." + e.key();
      switch (e.key()) {
        case "policy" -> mode = mode(nodes, e.value(), key);
        case "max_restarts" -> {
          maxRestarts = nodes.integer(e.value(), key, "a whole number, 0 or more");
          if (maxRestarts < 0) {
            throw nodes.error(e.value(), key + ": " + maxRestarts + " (expected: a whole number, 0 or more)");
          }
        }
        case "window" -> window = duration(nodes, e.value(), key, false);
        case "backoff" -> backoff = duration(nodes, e.value(), key, true);
        case "max_backoff" -> {
          maxBackoff = duration(nodes, e.value(), key, false);
          maxBackoffNode = e.value();
        }
        default -> throw nodes.error(e.keyNode(), StackKeys.unknown(at, e.key(), StackKeys.RESTART));
      }
    }
    if (maxBackoff.compareTo(backoff) < 0) {
      if (maxBackoffNode != null) {
        throw nodes.error(maxBackoffNode, at + ".max_backoff: shorter than backoff (expected: at least "
            + backoff.toMillis() + "ms)");
      }
      maxBackoff = backoff;
    }
    return new RestartPolicy(mode, maxRestarts, window, backoff, maxBackoff);
  }

  private static Mode mode(YamlNodes nodes, Node v, String at) {
    String text = v instanceof ScalarNode s ? s.getValue() : null;
    if (text != null && v.getTag().equals(org.snakeyaml.engine.v2.nodes.Tag.STR)) {
      switch (text) {
        case "no":
          return Mode.NO;
        case "on-failure":
          return Mode.ON_FAILURE;
        case "always":
          return Mode.ALWAYS;
        default:
          break;
      }
    }
    throw nodes.error(v, at + ": " + YamlNodes.describe(v) + " (expected: " + MODES + ")");
  }

  /** A duration above zero ({@code zeroAllowed}: or zero). */
  static Duration duration(YamlNodes nodes, Node v, String at, boolean zeroAllowed) {
    String text = nodes.text(v, at, Durations.SHAPE);
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw nodes.error(v, at + ": " + e.getMessage());
    }
    if (d.isZero() && !zeroAllowed) {
      throw nodes.error(v, at + ": '" + YamlNodes.shown(text) + "' (expected: " + Durations.SHAPE
          + ", above zero)");
    }
    return d;
  }
}
