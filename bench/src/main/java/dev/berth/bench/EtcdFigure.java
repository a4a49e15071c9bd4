package dev.berth.bench;

import java.util.List;
import java.util.Map;

/**
 * One figure measured on etcd, as the baseline of the Berth row whose figure text starts with
 * {@link #berthPrefix}.
 *
 * @param berthPrefix the start of the figure text of the Berth row this is the baseline of
 * @param text etcd's figure, formatted for a person, saying what etcd did ("etcdctl get KEY:
 *     p50 19.0 ms, ...")
 * @param numbers the raw numbers behind {@code text}, for {@code --json}
 * @param compared the keys of {@code numbers} that the Berth row's {@link Row#numbers} has too
 *     under the same name and unit, in the order the ratio Berth / etcd shows them
 * @param formerPrefixes older names of the same Berth row, tried when no row starts with
 *     {@code berthPrefix} (a branch that has not renamed it yet)
 */
record EtcdFigure(String berthPrefix, String text, Map<String, Double> numbers, List<String> compared,
    List<String> formerPrefixes) {
  EtcdFigure(String berthPrefix, String text, Map<String, Double> numbers, List<String> compared) {
    this(berthPrefix, text, numbers, compared, List.of());
  }

  EtcdFigure {
    for (String key : compared) {
      if (!numbers.containsKey(key)) {
        throw new IllegalArgumentException("compared: " + key + " (expected: one of " + numbers.keySet() + ")");
      }
    }
  }
}
