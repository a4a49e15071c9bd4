package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.internal.stack.ControlSocket;
import dev.berth.local.internal.ProcStat;
import dev.berth.local.internal.StackControl;
import dev.berth.local.internal.StackStateFile;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's dashboard and {@code berth up}'s real control socket agree: what {@link
 * DashboardStacks#act} sends, {@link ControlSocket} understands, and its answers come back as the
 * dashboard's errors. In the registry's package (DashboardStacks is package-private) but in the
 * cli's tests: only the cli has both ends.
 */
class DashboardStacksControlSocketTest {

  @TempDir
  Path home;

  /** A supervisor of orders and catalog that records what it was asked. */
  static final class RecordingStack implements StackControl {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public StackState status() {
      return StackState.getDefaultInstance();
    }

    @Override
    public void restart(String service) {
      known(service);
      calls.add("restart " + service);
    }

    @Override
    public void stop(String service) {
      known(service);
      if (service.equals("catalog")) {
        throw new IllegalStateException("cannot stop catalog: it is starting");
      }
      calls.add("stop " + service);
    }

    @Override
    public void stopAll() {
      calls.add("stop-all");
    }

    private static void known(String service) {
      if (!List.of("orders", "catalog").contains(service)) {
        throw new IllegalArgumentException("service: '" + service + "' (expected one of [orders, catalog])");
      }
    }
  }

  @Test
  void act_throughTheRealControlSocket_reachesTheSupervisor_andMapsItsAnswers() throws Exception {
    StackStateFile file = StackStateFile.of(home, "shop-1a2b");
    long self = ProcessHandle.current().pid();
    file.write(StackState.newBuilder().setNamespace("shop-1a2b").setSupervisorPid(self)
        .setSupervisorStartTicks(ProcStat.startTicks(self).orElseThrow())
        .setControlSocket(file.dir().resolve(StackStateFile.CONTROL_SOCKET).toString())
        .addProcesses(StackProcess.newBuilder().setService("orders").setInstance(1).setState("live"))
        .addProcesses(StackProcess.newBuilder().setService("catalog").setInstance(1).setState("starting"))
        // in the file but no longer in the supervisor: a stack.json a step behind
        .addProcesses(StackProcess.newBuilder().setService("billing").setInstance(1).setState("stopped"))
        .build());
    RecordingStack stack = new RecordingStack();
    DashboardStacks dashboard = new DashboardStacks(home, Duration.ofSeconds(10));

    try (ControlSocket server = ControlSocket.serve(file.dir().resolve(StackStateFile.CONTROL_SOCKET), stack)) {
      dashboard.act("restart", "shop-1a2b", "orders");
      dashboard.act("stop", "shop-1a2b", "orders");
      assertThatThrownBy(() -> dashboard.act("stop", "shop-1a2b", "catalog"))
          .isExactlyInstanceOf(IllegalStateException.class)
          .hasMessage("stop catalog in stack 'shop-1a2b': cannot stop catalog: it is starting");
      assertThatThrownBy(() -> dashboard.act("restart", "shop-1a2b", "billing"))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessage("stack 'shop-1a2b': service: 'billing' (expected one of [orders, catalog])");
    }

    assertThat(stack.calls).containsExactly("restart orders", "stop orders");
  }
}
