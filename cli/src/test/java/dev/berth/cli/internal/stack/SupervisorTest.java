package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.internal.CliContext;
import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.local.internal.ProcStat;
import dev.berth.local.internal.StackStateFile;
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

  static final String NS = "sup-test-1a2b3c";

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

  private List<Instance> instances() {
    return InternalBerth.registryStub(berth).list(ListRequest.getDefaultInstance()).getInstancesList();
  }

  /** Reads the state until {@code service} is in {@code state} (bounded). */
  private StackProcess awaitState(String service, String state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    StackProcess p;
    do {
      p = byService(supervisor.status()).get(service);
      if (p.getState().equals(state)) {
        return p;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    throw new AssertionError(service + " not " + state + " within 10 s: " + p);
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

  @Test
  void killMinus9_restartedOnTheSamePort_dependentsUntouched_bothRunsInTheOutput() throws Exception {
    StackFile file = Stacks.file(dir, NS,
        Stacks.runner("db2", Stacks.listener("db2", 0), dir),
        Stacks.runner("api2", Stacks.listener("api2", 0), dir, "db2"),
        Stacks.runner("web2", Stacks.listener("web2", 0), dir, "api2"));
    supervisor = Supervisor.start(file, List.of(), berth, ctx, out);
    assertThat(supervisor.awaitLive(Duration.ofSeconds(30))).as(out.lines().toString()).isTrue();
    Map<String, StackProcess> before = byService(supervisor.status());

    long apiPid = before.get("api2").getPid();
    new ProcessBuilder("kill", "-9", Long.toString(apiPid)).start().waitFor();

    out.await("api2", "live on", 2, 30_000);
    assertThat(supervisor.awaitLive(Duration.ofSeconds(30))).isTrue();
    Map<String, StackProcess> after = byService(supervisor.status());
    assertThat(after.get("api2").getPid()).isNotEqualTo(apiPid);
    assertThat(after.get("api2").getPortsMap()).isEqualTo(before.get("api2").getPortsMap());
    assertThat(after.get("api2").getRestarts()).isEqualTo(1);
    assertThat(after.get("api2").getLastSignal()).isEqualTo(9);
    assertThat(after.get("web2").getPid()).isEqualTo(before.get("web2").getPid());
    assertThat(after.get("db2").getPid()).isEqualTo(before.get("db2").getPid());
    assertThat(out.matching("api2", "killed by signal 9")).singleElement().asString()
        .contains("restarting in 0.2 s on the same port");
    // both runs' own output, each with its pid and the same port
    assertThat(out.matching("api2", "| pid ")).hasSize(2)
        .allSatisfy(l -> assertThat(l).endsWith("port " + before.get("api2").getPortsMap().get("main")));
  }

  @Test
  void liveProcessExits_stoppingUntilTheSupervisorDecides_neverLiveWithoutAProcess() throws Exception {
    StackFile file = Stacks.file(dir, NS, Stacks.runner("exit7", Stacks.listener("exit7", 0), dir));
    supervisor = Supervisor.start(file, List.of(), berth, ctx, out);
    assertThat(supervisor.awaitLive(Duration.ofSeconds(30))).as(out.lines().toString()).isTrue();
    List<StackProcess> written = new java.util.concurrent.CopyOnWriteArrayList<>();
    supervisor.onWrite(s -> written.add(byService(s).get("exit7")));
    long pid = byService(supervisor.status()).get("exit7").getPid();

    new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();

    out.await("exit7", "live on", 2, 30_000);
    List<String> states = written.stream().map(p -> p.getState() + " " + p.getPid() + " " + p.getDetail())
        .toList();
    // what berth ps, the dashboard and a dependent's gate read: live means a process
    assertThat(written).as(states.toString()).noneMatch(p -> p.getState().equals("live") && p.getPid() == 0);
    assertThat(states).as("the order written")
        .containsSubsequence("stopping " + pid + " exited; stopping what it started", "backoff 0 restarting in 0.2 s");
  }

  @Test
  void wrapperKilled_whatItStartedIsStoppedToo_andTheServiceComesBackOnTheSamePort() throws Exception {
    // sh leads the group and the server is its child: kill -9 of sh (the pid berth ps shows)
    // must not leave the server holding the port the service comes back on
    Path script = dir.resolve("server.py");
    Files.writeString(script, Stacks.listener("wrap6", 0).get(2));
    StackFile file = Stacks.file(dir, NS, Stacks.runner("wrap6",
        List.of("sh", "-c", "python3 " + script + " & echo $! > server.pid; wait"), dir));
    supervisor = Supervisor.start(file, List.of(), berth, ctx, out);
    assertThat(supervisor.awaitLive(Duration.ofSeconds(30))).as(out.lines().toString()).isTrue();
    StackProcess before = byService(supervisor.status()).get("wrap6");
    long server = Long.parseLong(Files.readString(dir.resolve("server.pid")).trim());
    ProcessHandle first = ProcessHandle.of(server).orElseThrow();

    new ProcessBuilder("kill", "-9", Long.toString(before.getPid())).start().waitFor();

    first.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS); // stopped by the supervisor
    out.await("wrap6", "live on", 2, 30_000);
    StackProcess after = byService(supervisor.status()).get("wrap6");
    assertThat(after.getPortsMap()).isEqualTo(before.getPortsMap());
    assertThat(out.lines()).noneMatch(l -> l.contains("restarting it once on port"));
  }

  @Test
  void programOnTheServicesOwnPath_starts() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("tools/bin"));
    Path script = dir.resolve("server.py");
    Files.writeString(script, Stacks.listener("path8", 0).get(2));
    Path program = bin.resolve("path8-server");
    Files.writeString(program, "#!/bin/sh\nexec python3 " + script + "\n");
    program.toFile().setExecutable(true);
    StackFile file = Stacks.file(dir, NS, Stacks.service("path8", List.of("path8-server"), dir, List.of(),
        Map.of("PATH", bin + ":" + System.getenv("PATH")), ServiceSpec.RestartPolicy.DEFAULT,
        ServiceSpec.LeaseMode.RUNNER));

    supervisor = Supervisor.start(file, List.of(), berth, ctx, out);

    assertThat(supervisor.awaitLive(Duration.ofSeconds(30))).as(out.lines().toString()).isTrue();
  }

  @Test
  void crashLoop_moreThanMaxRestartsInTheWindow_leftFailed_dependentNeverStarted() throws Exception {
    StackFile file = Stacks.file(dir, NS,
        Stacks.service("crash3", List.of("sh", "-c", "echo starting; exit 3"), dir, List.of(), Map.of(),
            Stacks.fastRestarts(2), ServiceSpec.LeaseMode.RUNNER),
        Stacks.runner("user3", Stacks.listener("user3", 0), dir, "crash3"));
    supervisor = Supervisor.start(file, List.of(), berth, ctx, out);

    assertThat(supervisor.awaitLive(Duration.ofSeconds(30))).isFalse();
    Map<String, StackProcess> state = byService(supervisor.status());
    assertThat(state.get("crash3").getState()).isEqualTo("failed");
    assertThat(state.get("crash3").getRestarts()).isEqualTo(2);
    assertThat(state.get("crash3").getLastExit()).isEqualTo(3);
    assertThat(state.get("crash3").getDetail()).isEqualTo("crash loop: 2 restarts in 60 s");
    assertThat(out.matching("crash3", "| starting")).hasSize(3);
    assertThat(out.matching("crash3", "crash loop")).singleElement().asString()
        .contains("exited with code 3", "left failed");
    assertThat(state.get("user3").getState()).isEqualTo("waiting");
    assertThat(state.get("user3").getDetail()).isEqualTo("waiting for crash3");
    assertThat(state.get("user3").getPid()).isZero();
  }

  @Test
  void stopAll_reverseDependencyOrder_nothingLeftListening() throws Exception {
    Path stopLog = dir.resolve("stops.log");
    Map<String, String> env = Map.of("STOP_LOG", stopLog.toString());
    StackFile file = Stacks.file(dir, NS,
        Stacks.service("web4", Stacks.listener("web4", 0), dir, List.of("api4"), env,
            ServiceSpec.RestartPolicy.DEFAULT, ServiceSpec.LeaseMode.RUNNER),
        Stacks.service("api4", Stacks.listener("api4", 0), dir, List.of("db4"), env,
            ServiceSpec.RestartPolicy.DEFAULT, ServiceSpec.LeaseMode.RUNNER),
        Stacks.service("db4", Stacks.listener("db4", 0), dir, List.of(), env,
            ServiceSpec.RestartPolicy.DEFAULT, ServiceSpec.LeaseMode.RUNNER));
    supervisor = Supervisor.start(file, List.of(), berth, ctx, out);
    assertThat(supervisor.awaitLive(Duration.ofSeconds(30))).isTrue();
    List<Integer> ports = supervisor.status().getProcessesList().stream()
        .map(p -> p.getPortsMap().get("main")).toList();

    supervisor.stopAll();

    List<String> stops = Files.readAllLines(stopLog).stream()
        .sorted(Comparator.comparingLong(l -> Long.parseLong(l.split(" ")[1])))
        .map(l -> l.split(" ")[0]).toList();
    assertThat(stops).containsExactly("web4", "api4", "db4");
    for (int port : ports) {
      assertThat(dev.berth.cli.internal.PortWaiter.accepts(
          new java.net.InetSocketAddress("127.0.0.1", port))).as("port " + port).isFalse();
    }
    StackState state = supervisor.status();
    assertThat(state.getStopped()).isTrue();
    assertThat(state.getProcessesList()).allSatisfy(p -> {
      assertThat(p.getState()).isEqualTo("stopped");
      assertThat(p.getPid()).isZero();
    });
    assertThat(instances()).noneMatch(i -> i.getService().endsWith("4"));
  }

  @Test
  void selfService_liveWhenItsOwnLeaseAppears_matchedByDescendantPid_notByAnotherInstance() throws Exception {
    // another process's instance of the same service, live first: never taken for the child's
    try (dev.berth.client.Lease decoy = berth.lease("self5").attach();
        java.net.ServerSocket bound = new java.net.ServerSocket()) {
      bound.bind(new java.net.InetSocketAddress("127.0.0.1", decoy.port()));
      decoy.ready();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      // sh stays the child's parent: the instance's pid is the child's descendant, not the child
      String jvm = java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '"
          + System.getProperty("java.class.path") + "' " + dev.berth.cli.SelfService.class.getName();
      StackFile file = Stacks.file(dir, NS,
          Stacks.service("self5", List.of("sh", "-c", jvm + "; exit 0"), dir, List.of(), Map.of(),
              ServiceSpec.RestartPolicy.DEFAULT, ServiceSpec.LeaseMode.SELF),
          Stacks.runner("user5", Stacks.listener("user5", 0), dir, "self5"));

      supervisor = Supervisor.start(file, List.of(), berth, ctx, out);

      assertThat(supervisor.awaitLive(Duration.ofSeconds(40))).as(out.lines().toString()).isTrue();
      String printed = out.await("self5", "| self pid", 1, 10_000).get(0);
      long pid = Long.parseLong(printed.replaceAll(".*self pid (\\d+) port.*", "$1"));
      int port = Integer.parseInt(printed.replaceAll(".*port (\\d+)$", "$1"));
      StackProcess self = byService(supervisor.status()).get("self5");
      assertThat(pid).isNotEqualTo(self.getPid());
      assertThat(ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)).hasValue(self.getPid());
      assertThat(port).isNotEqualTo(decoy.port());
      assertThat(self.getPortsMap()).containsEntry("main", port);
      assertThat(out.await("self5", "live on", 1, 10_000)).singleElement().asString().contains(":" + port + " ");
    }
  }

  @Test
  void restart_whileADependencyIsStopped_waitsForItAgain() throws Exception {
    StackFile file = Stacks.file(dir, NS,
        Stacks.runner("db6", Stacks.listener("db6", 0), dir),
        Stacks.runner("api6", Stacks.listener("api6", 0), dir, "db6"));
    supervisor = Supervisor.start(file, List.of(), berth, ctx, out);
    assertThat(supervisor.awaitLive(Duration.ofSeconds(30))).isTrue();

    supervisor.stop("db6");
    supervisor.restart("api6");

    assertThat(byService(supervisor.status()).get("db6").getState()).isEqualTo("stopped");
    StackProcess api = awaitState("api6", "waiting");
    assertThat(api.getState()).isEqualTo("waiting");
    assertThat(api.getDetail()).isEqualTo("waiting for db6");
    assertThat(api.getPid()).isZero();

    supervisor.restart("db6");
    assertThat(supervisor.awaitLive(Duration.ofSeconds(30))).isTrue();
    assertThat(out.await("api6", "live on", 2, 10_000)).hasSize(2);
  }

  @Test
  void readyCheck_failing_notLive_dependentNeverStarts() throws Exception {
    ServiceSpec.ReadyCheck check = new ServiceSpec.ReadyCheck(ServiceSpec.ReadyCheck.Kind.HTTP, null, "/missing",
        Duration.ofSeconds(1));
    // answers HTTP, but 404 on the path the check asks for
    ServiceSpec shell = new ServiceSpec("api7",
        List.of("sh", "-c", "exec python3 -m http.server --bind 127.0.0.1 $PORT"), dir, Map.of(),
        List.of("main"), List.of(), java.util.Optional.of(check),
        new ServiceSpec.RestartPolicy(ServiceSpec.RestartPolicy.Mode.NO, 0, Duration.ofSeconds(60),
            Duration.ofMillis(50), Duration.ofMillis(50)),
        1, ServiceSpec.LeaseMode.RUNNER, new SourceMark(dir, 1, 1));
    StackFile file = Stacks.file(dir, NS, shell, Stacks.runner("web7", Stacks.listener("web7", 0), dir, "api7"));
    java.util.concurrent.atomic.AtomicBoolean seen = new java.util.concurrent.atomic.AtomicBoolean();
    StackProcess failed;
    try (var watch = berth.watch("api7", addresses -> seen.compareAndSet(false, !addresses.isEmpty()))) {
      supervisor = Supervisor.start(file, List.of(), berth, ctx, out);
      failed = awaitState("api7", "failed");
    }
    assertThat(seen).as("an instance that fails its ready check is never live in the registry").isFalse();
    assertThat(failed.getDetail()).contains("ready check GET http://127.0.0.1:", "/missing did not pass within 1 s",
        "HTTP 404");
    assertThat(byService(supervisor.status()).get("web7").getPid()).isZero();
    assertThat(out.matching("api7", "live on")).isEmpty();
  }
}
