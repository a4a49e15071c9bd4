package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultTableTest {
  private static ResultTable table() {
    ResultTable table = new ResultTable();
    table.add(new Row("berth ls, wall", "p50 200.0 ms", "java: p50 150.0 ms", "1.333", "≤ 250 ms", true,
        Map.of("p50_ns", 200e6)));
    table.add(new Row("loopback floor", "p50 20.0 µs", "", "", "", null, Map.of("p50_ns", 20e3)));
    return table;
  }

  private static String printed(ResultTable table) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void print_withoutEtcd_hasTheEtcdColumnsBlank() {
    List<String> lines = printed(table()).lines().toList();

    assertThat(lines.get(0)).contains("| etcd, same run | Berth / etcd |");
    assertThat(lines.get(2)).startsWith("| berth ls, wall ").matches(".*\\| yes \\| +\\| +\\|$");
  }

  @Test
  void print_withEtcd_putsItsFigureAndTheRatioOnTheJoinedRow() {
    ResultTable table = table();
    table.joinEtcd(List.of(new EtcdFigure("berth ls, wall", "etcdctl get --prefix: p50 20.0 ms",
        Map.of("p50_ns", 20e6), List.of("p50_ns"))));

    List<String> lines = printed(table).lines().toList();

    assertThat(lines.get(2)).contains("| yes | etcdctl get --prefix: p50 20.0 ms | 10×").endsWith("|");
    assertThat(lines.get(3)).startsWith("| loopback floor ");
  }

  @Test
  void writeJson_carriesTheEtcdFigureItsRatioAndNumbers(@TempDir Path dir) throws Exception {
    ResultTable table = table();
    table.joinEtcd(List.of(new EtcdFigure("berth ls, wall", "etcdctl get --prefix: p50 20.0 ms",
        Map.of("p50_ns", 20e6), List.of("p50_ns"))));
    Path file = dir.resolve("result.json");

    table.writeJson(file, Map.of("etcd", "3.4.23"));

    Struct.Builder doc = Struct.newBuilder();
    JsonFormat.parser().merge(Files.readString(file), doc);
    List<Value> rows = doc.getFieldsOrThrow("rows").getListValue().getValuesList();
    Struct joined = rows.get(0).getStructValue();
    assertThat(joined.getFieldsOrThrow("etcd").getStringValue()).isEqualTo("etcdctl get --prefix: p50 20.0 ms");
    assertThat(joined.getFieldsOrThrow("etcd_ratio").getStringValue()).isEqualTo("10×");
    assertThat(joined.getFieldsOrThrow("etcd_numbers").getStructValue().getFieldsOrThrow("p50_ns").getNumberValue())
        .isEqualTo(20e6);
    Struct other = rows.get(1).getStructValue();
    assertThat(other.getFieldsOrThrow("etcd").getStringValue()).isEmpty();
    assertThat(other.getFieldsOrThrow("etcd_numbers").getStructValue().getFieldsCount()).isZero();
    assertThat(doc.getFieldsOrThrow("machine").getStructValue().getFieldsOrThrow("etcd").getStringValue())
        .isEqualTo("3.4.23");
  }
}
