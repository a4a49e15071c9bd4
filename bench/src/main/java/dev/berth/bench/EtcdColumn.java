package dev.berth.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Joins etcd's figures to Berth's rows: each {@link EtcdFigure} goes beside the Berth row whose
 * figure text starts with its {@link EtcdFigure#berthPrefix}, with the ratio Berth / etcd of
 * each number both have. Matching by the start of the text lets a row say more after the
 * prefix ("..., p50 / p99", the counts) without breaking the join.
 *
 * <p>When several rows start with the prefix, the shortest figure text wins: the prefix is the
 * row's name, and a longer row is a variant of it ("attach ... → visible to a watcher, cold
 * (first attach of a fresh JVM)" beside "attach ... → visible to a watcher"). A figure no row
 * starts with is tried under the row's former names ({@link EtcdFigure#formerPrefixes}); one
 * that matches no row of the run at all gets a row of its own, so that nothing measured is
 * dropped.
 */
final class EtcdColumn {
  /** The value of a row made for an etcd figure no Berth row of the run matched. */
  static final String NO_BERTH_ROW = "(no Berth row in this run)";

  private EtcdColumn() {}

  static List<Row> join(List<Row> rows, List<EtcdFigure> figures) {
    List<Row> joined = new ArrayList<>(rows);
    for (EtcdFigure figure : figures) {
      int match = match(joined, figure.berthPrefix());
      for (int i = 0; match < 0 && i < figure.formerPrefixes().size(); i++) {
        match = match(joined, figure.formerPrefixes().get(i));
      }
      if (match < 0) {
        joined.add(new Row(figure.berthPrefix(), NO_BERTH_ROW, "", "", "", null, Map.of())
            .withEtcd(figure.text(), "", figure.numbers()));
      } else {
        Row row = joined.get(match);
        joined.set(match, row.withEtcd(figure.text(), ratio(row.numbers(), figure), figure.numbers()));
      }
    }
    return joined;
  }

  /** The index of the shortest figure that starts with {@code prefix}; -1 when none does. */
  private static int match(List<Row> rows, String prefix) {
    int match = -1;
    for (int i = 0; i < rows.size(); i++) {
      String text = rows.get(i).figure();
      if (text.startsWith(prefix) && (match < 0 || text.length() < rows.get(match).figure().length())) {
        match = i;
      }
    }
    return match;
  }

  /**
   * Berth's number over etcd's for each compared key Berth's row has too: one ratio alone, or
   * each labelled by its key's first word ("p50 0.0033×, p99 0.0058×").
   */
  static String ratio(Map<String, Double> berth, EtcdFigure etcd) {
    List<String> keys = etcd.compared().stream().filter(berth::containsKey).toList();
    StringJoiner out = new StringJoiner(", ");
    for (String key : keys) {
      double r = berth.get(key) / etcd.numbers().get(key);
      String text = times(r);
      out.add(keys.size() == 1 ? text : key.split("_")[0] + " " + text);
    }
    return out.toString();
  }

  /** A ratio to three significant digits, as a factor: "75.3×", "0.79×", "0.00331×". */
  static String times(double r) {
    if (Double.isNaN(r) || Double.isInfinite(r)) {
      return "n/a";
    }
    return new BigDecimal(r).round(new MathContext(3)).stripTrailingZeros().toPlainString() + "×";
  }
}
