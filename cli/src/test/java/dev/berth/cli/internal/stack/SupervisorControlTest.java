package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.internal.CliContext;
import dev.berth.client.Berth;
import dev.berth.local.internal.StackControl;
import dev.berth.local.internal.StackStateFile;
import dev.berth.proto.v1.StackProcess;
import dev.berth.registry.BerthRegistry;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real supervisor behind the control socket, its lines in the log files: what {@code berth
 * ps}, {@code restart} and {@code down} reach, and what {@code berth logs} reads, wired as
 * {@code berth up} wires them.
 */
class SupervisorControlTest {

  private static final String NS = "ctl-1a2b3c";

  @TempDir
  Path home;
  @TempDir
  Path dir;

  @Test
  void overTheSocket_statusRestartOnTheSamePort_unknownServiceRefused_stopAll_bothRunsLogged()
      throws Exception {
    PortRange pool = TestPools.take(8);
    try (BerthRegistry registry = BerthRegistry.builder().stateDir(home).port(0)
            .ports(pool.first(), pool.last()).build().start();
        Berth berth = Berth.builder().stateDir(home).registry("127.0.0.1:" + registry.port())
            .autoStart(false).namespace(NS).build()) {
      CliContext ctx = new CliContext(home, "127.0.0.1:" + registry.port(), false,
          new PrintWriter(new StringWriter()), new PrintWriter(System.err, true));
      StackStateFile stack = StackStateFile.of(home, NS);
      Path socket = stack.createDir().resolve("control.sock");
      StackFile file = Stacks.file(dir, NS,
          Stacks.runner("ctl-web", Stacks.listener("ctl-web", 0), dir));
      try (LogFiles logs = LogFiles.open(LogFiles.dirOf(stack.dir()), Clock.systemUTC(),
              LogFiles.DEFAULT_MAX_BYTES);
          Supervisor supervisor = Supervisor.start(file, List.of(), berth, ctx, logs);
          ControlSocket server = ControlSocket.serve(socket, supervisor)) {
        assertThat(supervisor.awaitLive(Duration.ofSeconds(30))).isTrue();
        StackControl control = ControlSocket.connect(socket, Duration.ofSeconds(30));

        StackProcess first = control.status().getProcesses(0);
        control.restart("ctl-web");
        assertThat(supervisor.awaitLive(Duration.ofSeconds(30))).isTrue();
        StackProcess second = control.status().getProcesses(0);

        assertThat(first.getState()).isEqualTo("live");
        assertThat(second.getRestarts()).isEqualTo(1);
        assertThat(second.getPid()).isNotEqualTo(first.getPid());
        assertThat(second.getPortsMap()).as("the same port").isEqualTo(first.getPortsMap());
        assertThatThrownBy(() -> control.restart("nosuch"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nosuch'");

        control.stopAll();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!control.status().getStopped() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(control.status().getStopped()).as("stopped within 30 s").isTrue();

        List<LogRecord> logged = LogReader.of(LogFiles.dirOf(stack.dir()), Optional.of("ctl-web"),
            Optional.empty()).read();
        assertThat(logged).filteredOn(r -> r.kind() == LogRecord.Kind.OUT).extracting(LogRecord::text)
            .as("both runs in its log").hasSize(2)
            .allMatch(t -> t.endsWith("port " + first.getPortsMap().get("main")));
        assertThat(logged).anyMatch(r -> r.kind() == LogRecord.Kind.BERTH);
      }
    }
  }
}
