package dev.berth.bench;

/**
 * One line of the result table: a figure, its value, the baseline measured in the same run
 * (if it has one), their ratio, the target, and whether the target was met.
 *
 * @param figure what was measured
 * @param value the measured value, formatted for a person
 * @param baseline the baseline, formatted; empty when the figure has none
 * @param ratio value / baseline, formatted; empty when there is no baseline
 * @param target the target, formatted; empty when the figure is reported for scale only
 * @param met whether the target was met; {@code null} when there is no target
 * @param numbers the raw numbers behind the text, for {@code --json}
 */
record Row(
    String figure,
    String value,
    String baseline,
    String ratio,
    String target,
    Boolean met,
    java.util.Map<String, Double> numbers) {

  String verdict() {
    return met == null ? "-" : met ? "yes" : "NO";
  }
}
