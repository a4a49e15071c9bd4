package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs etcd's side at a tiny scale against a real etcd; skipped where etcd is not installed. */
class EtcdFiguresTest {
  @Test
  void run_measuresEveryFigure_asTheBaselineOfItsBerthRow() throws Exception {
    Optional<EtcdInstall> etcd = EtcdInstall.find(System.getenv("PATH"));
    assumeTrue(etcd.isPresent(), "etcd and etcdctl are not on the PATH (apt-get install etcd-server "
        + "etcd-client): this test of the bench's etcd side is skipped; nothing else needs them");
    EtcdScale tiny = new EtcdScale(2, 10, 10, 100, 5, 2, 1, 1, 20);

    List<EtcdFigure> figures = EtcdFigures.run(etcd.get(),
        tiny, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThat(figures).extracting(EtcdFigure::berthPrefix).containsExactly(
        "berth resolve NAME, wall",
        "berth ls, wall",
        "Resolve RPC, 1 client",
        "Resolve RPC, 8 clients",
        "attach in another process → visible to a watcher",
        "kill -9 of a serving process → watcher",
        "registry process start → first answered RPC",
        "registry resident memory, idle",
        "registry resident memory, 20 live leases on 20 connections");
    for (EtcdFigure f : figures) {
      for (String key : f.compared()) {
        assertThat(f.numbers().get(key)).as(f.berthPrefix() + " " + key).isPositive();
      }
    }
    EtcdFigure kill = figures.get(5);
    assertThat(kill.numbers()).containsEntry("count", 1.0);
    assertThat(kill.numbers().get("ttl_s")).isGreaterThanOrEqualTo(1.0);
  }
}
