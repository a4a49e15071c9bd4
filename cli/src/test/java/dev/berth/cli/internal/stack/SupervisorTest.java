package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.internal.CliContext;
import dev.berth.cli.internal.ProcStat;
import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import dev.berth.registry.BerthRegistry;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor in this JVM against a real registry, with real python children: order, gates,
 * restarts on the same port, crash loops, stop order. Each test its own service names (one
 * registry for the class).
 */
class SupervisorTest {

  static final String NS = "";

  @TempDir
  static Path home;
  static BerthRegistry registry;
  static Berth berth;
  static CliContext ctx;

  @TempDir
  Path dir;
  Supervisor supervisor;
  final RecordingOutput out = new RecordingOutput();

  @BeforeAll
  static void registry() throws Exception {
    PortRange pool = TestPools.take(16);
    registry = BerthRegistry.builder().stateDir(home).port(0).ports(pool.first(), pool.last()).build().start();
    String address = "127.0.0.1:" + registry.port();
    berth = Berth.builder().stateDir(home).registry(address).autoStart(false).build();
    ctx = new CliContext(home, address, false, new PrintWriter(new StringWriter()),
        new PrintWriter(System.err, true));
  }

  @AfterAll
  static void close() {
    berth.close();
    registry.close();
  }

  @AfterEach
  void stop() {
    if (supervisor != null) {
      supervisor.close();
    }
  }

  private List<Instance> instances() {
    return InternalBerth.registryStub(berth).list(ListRequest.getDefaultInstance()).getInstancesList();
  }

  private static Map<String, StackProcess> byService(StackState state) {
    return state.getProcessesList().stream().collect(Collectors.toMap(StackProcess::getService, Function.identity()));
  }

  @Test
  void start_threeServices_liveInDependencyOrder_recordedInStackJson() throws Exception {
    // the first is slowest to listen: without the gate the others would be live before it
    StackFile file = Stacks.file(dir, NS,
        Stacks.runner("web1", Stacks.listener("web1", 0), dir, "api1"),
        Stacks.runner("api1", Stacks.listener("api1", 0), dir, "db1"),
        Stacks.runner("db1", Stacks.listener("db1", 0.8), dir));

    supervisor = Supervisor.start(file, List.of(), berth, ctx, out);

    assertThat(supervisor.awaitLive(Duration.ofSeconds(30))).as(out.lines().toString()).isTrue();
    List<String> order = instances().stream()
        .filter(i -> List.of("web1", "api1", "db1").contains(i.getService()))
        .sorted(Comparator.comparing((Instance i) -> i.getLiveSince().getSeconds())
            .thenComparing(i -> i.getLiveSince().getNanos()))
        .map(Instance::getService).toList();
    assertThat(order).containsExactly("db1", "api1", "web1");

    Path json = home.resolve("stacks").resolve(NS).resolve("stack.json");
    assertThat(Files.getPosixFilePermissions(json)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    StackState state = StackStateFile.of(home, NS).read().orElseThrow();
    assertThat(state.getSupervisorPid()).isEqualTo(ProcessHandle.current().pid());
    for (StackProcess p : state.getProcessesList()) {
      assertThat(p.getState()).isEqualTo("live");
      assertThat(ProcStat.sameProcess(p.getPid(), p.getStartTicks())).as(p.toString()).isTrue();
      assertThat(ProcStat.processGroup(p.getPid())).as("own process group").hasValue(p.getPid());
      assertThat(p.getPortsMap()).containsKey("main");
    }
  }
}
