package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.internal.CliContext;
import dev.berth.cli.internal.DebugRuntime;
import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.WhoHasRequest;
import dev.berth.proto.v1.WhoHasResponse;
import dev.berth.registry.BerthRegistry;
import dev.berth.testing.JdwpHandshake;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code debug: java} under the supervisor, with real JVMs and their real JDWP agents: a sticky
 * endpoint {@code debug} on the same instance, for a runner lease and for a lease the program
 * holds itself, the same port after a restart and a kill -9, a debugger's handshake answered,
 * and no "handshake failed" in the agent's output (nothing of Berth's connected to it).
 */
class SupervisorDebugTest {

  static final String NS = "sup-debug-4d5e6f";
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

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
    berth = Berth.builder().stateDir(home).registry(address).autoStart(false).namespace(NS).build();
    ctx = new CliContext(home, address, NS, false, new PrintWriter(new StringWriter()),
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

  @Test
  void runnerLease_debugEndpointLive_sameAfterRestartAndKill9_debuggerAttaches_noHandshakeFailed() throws Exception {
    // on the test classes alone: the command is the lease's metadata, and the whole class path is more than it holds
    String classes = Path.of(dev.berth.cli.TinyHttpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    ServiceSpec spec = service("dbgrun", ServiceSpec.LeaseMode.RUNNER, classes, "dev.berth.cli.TinyHttpServer",
        Map.of("JAVA_TOOL_OPTIONS", "-Dberth.test=kept"));
    supervisor = Supervisor.start(Stacks.file(dir, NS, spec), List.of(), berth, ctx, out);
    assertThat(supervisor.awaitLive(Duration.ofSeconds(40))).as(out.lines().toString()).isTrue();

    Instance first = instance("dbgrun");
    int debug = port(first, "debug");
    assertThat(first.getEndpoints(0).getName()).isEqualTo("main");
    assertThat(first.getMetadataMap()).containsEntry("debug", "jdwp");
    assertThat(status("dbgrun").getPortsMap()).containsEntry("debug", debug);
    assertThat(out.matching("dbgrun", "Picked up JAVA_TOOL_OPTIONS")).singleElement().asString()
        .as("the service's own value kept, before the agent")
        .endsWith("-Dberth.test=kept " + DebugRuntime.JAVA.option(debug));
    assertThat(JdwpHandshake.attach("127.0.0.1", debug, Duration.ofSeconds(5))).isEqualTo("JDWP-Handshake");

    supervisor.restart("dbgrun");
    out.await("dbgrun", "live on", 2, 40_000);
    assertThat(port(instance("dbgrun"), "debug")).isEqualTo(debug);

    new ProcessBuilder("kill", "-9", Long.toString(status("dbgrun").getPid())).start().waitFor();
    out.await("dbgrun", "live on", 3, 40_000);
    Instance third = instance("dbgrun");
    assertThat(port(third, "debug")).isEqualTo(debug);
    assertThat(port(third, "main")).isEqualTo(port(first, "main"));
    assertThat(JdwpHandshake.attach("127.0.0.1", debug, Duration.ofSeconds(5))).isEqualTo("JDWP-Handshake");
    assertThat(out.matching("dbgrun", "Picked up JAVA_TOOL_OPTIONS")).hasSize(3)
        .allSatisfy(l -> assertThat(l).endsWith(DebugRuntime.JAVA.option(debug)));
    assertThat(out.lines()).noneMatch(l -> l.contains("handshake failed"));
  }

  @Test
  void selfLease_theProgramsOwnInstanceHasMainAndDebug_stableAcrossARestart() throws Exception {
    ServiceSpec spec = service("dbgself", ServiceSpec.LeaseMode.SELF, System.getProperty("java.class.path"),
        dev.berth.cli.SelfService.class.getName(),
        Map.of());
    supervisor = Supervisor.start(Stacks.file(dir, NS, spec), List.of(), berth, ctx, out);
    assertThat(supervisor.awaitLive(Duration.ofSeconds(40))).as(out.lines().toString()).isTrue();

    Instance first = instance("dbgself");
    StackProcess p = status("dbgself");
    assertThat(first.getPid()).as("the program's own lease").isEqualTo(p.getPid());
    assertThat(first.getEndpointsList()).extracting(Endpoint::getName).containsExactly("main", "debug");
    assertThat(first.getMetadataMap()).containsEntry("debug", "jdwp");
    int debug = port(first, "debug");
    assertThat(p.getPortsMap()).containsEntry("debug", debug).containsEntry("main", port(first, "main"));
    assertThat(JdwpHandshake.attach("127.0.0.1", debug, Duration.ofSeconds(5))).isEqualTo("JDWP-Handshake");

    supervisor.restart("dbgself");
    out.await("dbgself", "live on", 2, 40_000);
    Instance second = instance("dbgself");
    assertThat(second.getInstanceId()).isNotEqualTo(first.getInstanceId());
    assertThat(port(second, "debug")).isEqualTo(debug);
    assertThat(port(second, "main")).isEqualTo(port(first, "main"));
    assertThat(out.lines()).noneMatch(l -> l.contains("handshake failed"));
  }

  @Test
  void runnerLease_rememberedDebugPortSquatted_movesIt_sayingSoInOneLineWithTheFix() throws Exception {
    String classes = Path.of(dev.berth.cli.TinyHttpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
    ServiceSpec spec = service("dbgmoved", ServiceSpec.LeaseMode.RUNNER, classes, "dev.berth.cli.TinyHttpServer", Map.of());
    supervisor = Supervisor.start(Stacks.file(dir, NS, spec), List.of(), berth, ctx, out);
    assertThat(supervisor.awaitLive(Duration.ofSeconds(40))).as(out.lines().toString()).isTrue();
    int debug = port(instance("dbgmoved"), "debug");
    supervisor.close();

    try (dev.berth.testing.ChildListener squatter = dev.berth.testing.ChildListener.start("127.0.0.1", debug)) {
      supervisor = Supervisor.start(Stacks.file(dir, NS, spec), List.of(), berth, ctx, out);
      assertThat(supervisor.awaitLive(Duration.ofSeconds(40))).as(out.lines().toString()).isTrue();
      int moved = port(instance("dbgmoved"), "debug");
      assertThat(moved).isNotEqualTo(debug);
      assertThat(out.matching("dbgmoved", "debug port moved")).singleElement().asString()
          .contains("debug port moved " + debug + " -> " + moved + " (held by pid " + squatter.pid() + " (")
          .endsWith("): rerun berth debug dbgmoved --intellij/--vscode");
    }
  }

  @Test
  void selfLease_firstStart_theDebugPortStaysReservedUntilTheAgentListens() throws Exception {
    // the agent binds 2 s after the start (a slow launcher): all that time no other lease may
    // be handed the port, which on a first start nothing remembers yet
    Path written = dir.resolve("debug.port");
    List<String> command = List.of("sh", "-c", "echo \"$BERTH_DEBUG_PORT\" > \"$1.tmp\" && mv \"$1.tmp\" \"$1\""
            + " && sleep 2 && shift && exec \"$@\"", "sh", written.toString(),
        JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
        "-cp", System.getProperty("java.class.path"), dev.berth.cli.SelfService.class.getName());
    ServiceSpec spec = new ServiceSpec("dbgfirst", command, dir, Map.of(), List.of("main"), List.of(),
        Optional.empty(), Stacks.fastRestarts(5), 1, ServiceSpec.LeaseMode.SELF,
        new SourceMark(dir.resolve("berth.yaml"), 1, 1), Optional.of(DebugRuntime.JAVA));
    supervisor = Supervisor.start(Stacks.file(dir, NS, spec), List.of(), berth, ctx, out);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!java.nio.file.Files.exists(written)) {
      assertThat(System.nanoTime()).as("no " + written + ": " + out.lines()).isLessThan(deadline);
      Thread.sleep(20);
    }
    int debug = Integer.parseInt(java.nio.file.Files.readString(written).strip());

    WhoHasResponse before = whoHas(debug);
    assertThat(before.getHolderCase()).as("while the agent has not bound it: " + before)
        .isEqualTo(WhoHasResponse.HolderCase.RESERVED);
    assertThat(before.getReserved().getService()).isEqualTo("dbgfirst");

    assertThat(supervisor.awaitLive(Duration.ofSeconds(40))).as(out.lines().toString()).isTrue();
    Instance live = instance("dbgfirst");
    assertThat(port(live, "debug")).isEqualTo(debug);
    assertThat(live.getPid()).as("the program's own lease, the probe closed").isEqualTo(status("dbgfirst").getPid());
    assertThat(whoHas(debug).getHolderCase()).isEqualTo(WhoHasResponse.HolderCase.BERTH);
    assertThat(out.lines()).noneMatch(l -> l.contains("handshake failed") || l.contains("bind failed"));
  }

  private static WhoHasResponse whoHas(int port) {
    return InternalBerth.registryStub(berth).whoHas(WhoHasRequest.newBuilder().setPort(port).build());
  }

  private ServiceSpec service(String name, ServiceSpec.LeaseMode lease, String classPath, String main,
      Map<String, String> env) {
    List<String> command = List.of(JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
        "-cp", classPath, main);
    return new ServiceSpec(name, command, dir, env, List.of("main"), List.of(), Optional.empty(),
        Stacks.fastRestarts(5), 1, lease, new SourceMark(dir.resolve("berth.yaml"), 1, 1),
        Optional.of(DebugRuntime.JAVA));
  }

  private StackProcess status(String service) {
    return supervisor.status().getProcessesList().stream().filter(p -> p.getService().equals(service))
        .findFirst().orElseThrow();
  }

  /** The one live instance of {@code service} in the stack's namespace. */
  private Instance instance(String service) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      List<Instance> found = InternalBerth.registryStub(berth).list(ListRequest.getDefaultInstance())
          .getInstancesList().stream().filter(i -> i.getService().equals(service) && i.getNamespace().equals(NS))
          .collect(Collectors.toList());
      if (found.size() == 1) {
        return found.get(0);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not one instance of " + service + ": " + found);
      }
      Thread.sleep(20);
    }
  }

  private static int port(Instance instance, String endpoint) {
    return instance.getEndpointsList().stream().filter(e -> e.getName().equals(endpoint)).findFirst()
        .map(Endpoint::getPort).orElseThrow(() -> new AssertionError("no endpoint " + endpoint + ": " + instance));
  }
}
