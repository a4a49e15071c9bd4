package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtcdColumnTest {
  private static Row berth(String figure, Map<String, Double> numbers) {
    return new Row(figure, "v", "", "", "", null, numbers);
  }

  private static EtcdFigure etcd(String prefix, double p50) {
    return new EtcdFigure(prefix, "etcd: " + p50, Map.of("p50_ns", p50), List.of("p50_ns"));
  }

  @Test
  void rowOfSevenArguments_hasNoEtcdFigure() {
    Row row = berth("x", Map.of());

    assertThat(row.etcd()).isEmpty();
    assertThat(row.etcdRatio()).isEmpty();
    assertThat(row.etcdNumbers()).isEmpty();
  }

  @Test
  void join_putsEtcdBesideTheRowWhoseFigureStartsWithThePrefix_withTheRatioBerthOverEtcd() {
    List<Row> rows = List.of(
        berth("registry process start → first answered RPC, p50 / max", Map.of("p50_ns", 300e6)),
        berth("Resolve RPC, 1 client", Map.of("p50_ns", 1e5)));

    List<Row> joined = EtcdColumn.join(rows, List.of(etcd("registry process start → first answered RPC", 400e6)));

    assertThat(joined).hasSize(2);
    assertThat(joined.get(0).etcd()).isEqualTo("etcd: 4.0E8");
    assertThat(joined.get(0).etcdRatio()).isEqualTo("0.75×");
    assertThat(joined.get(0).etcdNumbers()).containsEntry("p50_ns", 400e6);
    assertThat(joined.get(0).value()).isEqualTo("v");
    assertThat(joined.get(1).etcd()).isEmpty();
  }

  @Test
  void join_whenSeveralRowsStartWithThePrefix_takesTheShortest() {
    String prefix = "attach in another process → visible to a watcher";
    List<Row> rows = List.of(
        berth(prefix + ", cold (first attach of a fresh JVM)", Map.of("value_ns", 50e6)),
        berth(prefix, Map.of("p50_ns", 1e6)));

    List<Row> joined = EtcdColumn.join(rows, List.of(etcd(prefix, 2e6)));

    assertThat(joined.get(0).etcd()).isEmpty();
    assertThat(joined.get(1).etcdRatio()).isEqualTo("0.5×");
  }

  @Test
  void join_whenNoRowMatches_addsARowOfItsOwnSoNothingMeasuredIsDropped() {
    List<Row> joined = EtcdColumn.join(List.of(berth("loopback floor", Map.of())),
        List.of(etcd("berth ls, wall", 20e6)));

    assertThat(joined).hasSize(2);
    assertThat(joined.get(1).figure()).isEqualTo("berth ls, wall");
    assertThat(joined.get(1).value()).isEqualTo(EtcdColumn.NO_BERTH_ROW);
    assertThat(joined.get(1).etcd()).isEqualTo("etcd: 2.0E7");
    assertThat(joined.get(1).etcdRatio()).isEmpty();
  }

  @Test
  void join_triesFormerPrefixes_onlyWhenNoRowHasTheCurrentOne() {
    EtcdFigure throughput = new EtcdFigure("Resolve RPC, 8 clients", "Range, 8 clients: 2,000 /s",
        Map.of("per_second", 2_000.0), List.of("per_second"), List.of("Resolve throughput, 8 clients"));

    List<Row> old = EtcdColumn.join(List.of(berth("Resolve throughput, 8 clients", Map.of("per_second", 10_000.0))),
        List.of(throughput));
    List<Row> both = EtcdColumn.join(List.of(
        berth("Resolve throughput, 8 clients", Map.of("per_second", 10_000.0)),
        berth("Resolve RPC, 8 clients", Map.of("per_second", 20_000.0))), List.of(throughput));

    assertThat(old).hasSize(1);
    assertThat(old.get(0).etcdRatio()).isEqualTo("5×");
    assertThat(both.get(0).etcd()).isEmpty();
    assertThat(both.get(1).etcdRatio()).isEqualTo("10×");
  }

  @Test
  void ratio_ofTwoNumbers_labelsEach_andSkipsOnesTheBerthRowLacks() {
    EtcdFigure kill = new EtcdFigure("kill -9", "t", Map.of("p50_ns", 2e9, "p99_ns", 2.4e9),
        List.of("p50_ns", "p99_ns"));

    assertThat(EtcdColumn.ratio(Map.of("p50_ns", 7e6, "p99_ns", 12e6), kill)).isEqualTo("p50 0.0035×, p99 0.005×");
    assertThat(EtcdColumn.ratio(Map.of("p50_ns", 7e6), kill)).isEqualTo("0.0035×");
    assertThat(EtcdColumn.ratio(Map.of(), kill)).isEmpty();
  }

  @Test
  void times_givesThreeSignificantDigits() {
    assertThat(EtcdColumn.times(1370.0 / 19.0)).isEqualTo("72.1×");
    assertThat(EtcdColumn.times(0.79)).isEqualTo("0.79×");
    assertThat(EtcdColumn.times(106.6 / 23.7)).isEqualTo("4.5×");
    assertThat(EtcdColumn.times(1234.5)).isEqualTo("1230×");
    assertThat(EtcdColumn.times(Double.NaN)).isEqualTo("n/a");
  }

  @Test
  void figure_whoseComparedKeyItHasNot_isRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new EtcdFigure("x", "t", Map.of("p50_ns", 1.0), List.of("p99_ns")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compared: p99_ns (expected: one of [p50_ns])");
  }
}
