package dev.berth.bench;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows of one bench run, printed as a table for a person or written as JSON. The last two
 * columns are etcd's figure for the same thing and Berth / etcd ({@link EtcdColumn}); they stay
 * blank when etcd did not run.
 */
final class ResultTable {
  private static final String[] HEADER =
      {"figure", "value", "baseline", "ratio", "target", "met", "etcd, same run", "Berth / etcd"};

  private final List<Row> rows = new ArrayList<>();

  void add(Row row) {
    rows.add(row);
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  /** Puts each of etcd's figures beside the Berth row it is the baseline of. */
  void joinEtcd(List<EtcdFigure> figures) {
    List<Row> joined = EtcdColumn.join(rows, figures);
    rows.clear();
    rows.addAll(joined);
  }

  void print(PrintStream out) {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADER);
    for (Row r : rows) {
      cells.add(new String[] {r.figure(), r.value(), r.baseline(), r.ratio(), r.target(), r.verdict(),
          r.etcd(), r.etcdRatio()});
    }
    int[] widths = new int[HEADER.length];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (int n = 0; n < cells.size(); n++) {
      String[] line = cells.get(n);
      StringBuilder sb = new StringBuilder("| ");
      for (int i = 0; i < line.length; i++) {
        sb.append(String.format("%-" + widths[i] + "s", line[i])).append(" | ");
      }
      out.println(sb.toString().stripTrailing());
      if (n == 0) {
        StringBuilder rule = new StringBuilder("|");
        for (int width : widths) {
          rule.append("-".repeat(width + 2)).append('|');
        }
        out.println(rule);
      }
    }
  }

  /** Writes the table as a JSON object {@code {"rows": [...]}} through protobuf's JsonFormat. */
  void writeJson(Path file, Map<String, String> machine) throws IOException {
    ListValue.Builder list = ListValue.newBuilder();
    for (Row r : rows) {
      Struct.Builder row = Struct.newBuilder()
          .putFields("figure", text(r.figure()))
          .putFields("value", text(r.value()))
          .putFields("baseline", text(r.baseline()))
          .putFields("ratio", text(r.ratio()))
          .putFields("target", text(r.target()))
          .putFields("met", r.met() == null
              ? Value.newBuilder().setNullValueValue(0).build()
              : Value.newBuilder().setBoolValue(r.met()).build())
          .putFields("numbers", numbers(r.numbers()))
          .putFields("etcd", text(r.etcd()))
          .putFields("etcd_ratio", text(r.etcdRatio()))
          .putFields("etcd_numbers", numbers(r.etcdNumbers()));
      list.addValues(Value.newBuilder().setStructValue(row));
    }
    Struct.Builder env = Struct.newBuilder();
    machine.forEach((k, v) -> env.putFields(k, text(v)));
    Struct doc = Struct.newBuilder()
        .putFields("machine", Value.newBuilder().setStructValue(env).build())
        .putFields("rows", Value.newBuilder().setListValue(list).build())
        .build();
    Files.writeString(file, JsonFormat.printer().print(doc) + "\n", StandardCharsets.UTF_8);
  }

  private static Value numbers(Map<String, Double> numbers) {
    Struct.Builder struct = Struct.newBuilder();
    numbers.forEach((k, v) -> struct.putFields(k, Value.newBuilder().setNumberValue(v).build()));
    return Value.newBuilder().setStructValue(struct).build();
  }

  private static Value text(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }
}
