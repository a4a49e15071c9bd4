package dev.berth.bench;

import java.util.Map;

/**
 * One line of the result table: a figure, its value, the baseline measured in the same run
 * (if it has one), their ratio, the target, whether the target was met, and etcd's figure for
 * the same thing with the ratio Berth / etcd (when etcd ran).
 *
 * @param figure what was measured
 * @param value the measured value, formatted for a person
 * @param baseline the baseline, formatted; empty when the figure has none
 * @param ratio value / baseline, formatted; empty when there is no baseline
 * @param target the target, formatted; empty when the figure is reported for scale only
 * @param met whether the target was met; {@code null} when there is no target
 * @param numbers the raw numbers behind the text, for {@code --json}
 * @param etcd etcd's figure for the same thing, formatted; empty when etcd did not run or has
 *     no counterpart (see {@link EtcdColumn})
 * @param etcdRatio Berth's value / etcd's, formatted; empty when {@code etcd} is
 * @param etcdNumbers the raw numbers behind {@code etcd}, for {@code --json}
 */
record Row(
    String figure,
    String value,
    String baseline,
    String ratio,
    String target,
    Boolean met,
    Map<String, Double> numbers,
    String etcd,
    String etcdRatio,
    Map<String, Double> etcdNumbers) {

  /** A row without an etcd figure (yet): {@link EtcdColumn#join} adds it. */
  Row(String figure, String value, String baseline, String ratio, String target, Boolean met,
      Map<String, Double> numbers) {
    this(figure, value, baseline, ratio, target, met, numbers, "", "", Map.of());
  }

  /** This row with etcd's figure beside it. */
  Row withEtcd(String etcd, String etcdRatio, Map<String, Double> etcdNumbers) {
    return new Row(figure, value, baseline, ratio, target, met, numbers, etcd, etcdRatio, etcdNumbers);
  }

  String verdict() {
    return met == null ? "-" : met ? "yes" : "NO";
  }
}
