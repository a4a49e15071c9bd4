package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.client.Berth;
import dev.berth.client.Claim;
import dev.berth.local.StateDir;
import dev.berth.registry.internal.PortHolders;
import dev.berth.testing.ChildListener;
import dev.berth.testing.JdwpHandshake;
import dev.berth.testing.TestPools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth who} on every kind of listener, real processes all: a JVM with a JDWP agent on
 * its command line and one with the agent in {@code JAVA_TOOL_OPTIONS} only (each also serving
 * HTTP on a port of its own, which is not the agent), a Node inspector, a python3 listener, this
 * state dir's registry and a registry of another state dir; each asked with this state dir's
 * registry running ({@code mine}) and from a state dir where none runs ({@code bare}, answered
 * from /proc). The JDWP ports are never connected to but by {@link JdwpHandshake}.
 */
class WhoIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  static Path temp;

  static BerthJar mine;
  static BerthJar other;
  static BerthJar bare;
  static final List<Process> children = new ArrayList<>();
  static Process jdwpJvm;
  static Process toolOptionsJvm;
  static Process node;
  static ChildListener python;
  static int jdwpPort;
  static int jdwpAppPort;
  static int toolOptionsPort;
  static int toolOptionsAppPort;
  static int inspectorPort;
  static int minePort;
  static int otherPort;

  @BeforeAll
  static void listeners() throws Exception {
    mine = new BerthJar(temp.resolve("mine"));
    other = new BerthJar(temp.resolve("other"));
    bare = new BerthJar(temp.resolve("bare"));
    jdwpPort = TestPools.port();
    jdwpAppPort = TestPools.port();
    toolOptionsPort = TestPools.port();
    toolOptionsAppPort = TestPools.port();
    inspectorPort = TestPools.port();
    // every child starts at once: two cores, and each JVM takes a second
    jdwpJvm = start(Map.of("PORT", Integer.toString(jdwpAppPort)), BerthJar.java(),
        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + jdwpPort,
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", BerthJar.TEST_CLASSES.toString(), TinyHttpServer.class.getName());
    toolOptionsJvm = start(Map.of("PORT", Integer.toString(toolOptionsAppPort), "JAVA_TOOL_OPTIONS",
            "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + toolOptionsPort),
        BerthJar.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", BerthJar.TEST_CLASSES.toString(), TinyHttpServer.class.getName());
    // node is optional for a developer's mvn verify (.ci/run installs it): only its test is skipped
    node = onPath("node")
        ? start(Map.of(), "node", "--inspect=127.0.0.1:" + inspectorPort, "-e", "setInterval(() => {}, 1000)")
        : null;
    python = ChildListener.start("127.0.0.1", 0);
    mine.startRegistry();
    other.startRegistry();
    minePort = registryPort(mine);
    otherPort = registryPort(other);
    awaitListening(jdwpJvm, jdwpPort);
    awaitListening(jdwpJvm, jdwpAppPort);
    awaitListening(toolOptionsJvm, toolOptionsPort);
    awaitListening(toolOptionsJvm, toolOptionsAppPort);
    if (node != null) {
      awaitListening(node, inspectorPort);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    BerthJar.closeAll(python, mine, other, bare);
  }

  @Test
  void who_jdwpPort_namesTheJavaDebugAgentAndItsPid_withAndWithoutARegistry() throws Exception {
    for (BerthJar.Result who : whoInEach(jdwpPort)) {
      assertThat(who.exitCode).as(who.toString()).isZero();
      assertThat(who.out).as(who.toString())
          .startsWith("port " + jdwpPort + ": held by pid " + jdwpJvm.pid() + " outside Berth: ")
          .contains("-agentlib:jdwp=", "(a Java debug agent (JDWP) of pid " + jdwpJvm.pid() + ")");
    }
    // it is one: a debugger's handshake is echoed, and nothing else ever connected to it
    assertThat(JdwpHandshake.attach("127.0.0.1", jdwpPort, WAIT)).isEqualTo(JdwpHandshake.HANDSHAKE);
    assertThat(output(jdwpJvm)).doesNotContain("handshake failed");
  }

  @Test
  void who_theJdwpJvmsApplicationPort_isTheJvm_notItsDebugAgent() throws Exception {
    for (BerthJar.Result who : whoInEach(jdwpAppPort)) {
      assertThat(who.out).as(who.toString())
          .startsWith("port " + jdwpAppPort + ": held by pid " + jdwpJvm.pid() + " outside Berth: ")
          .doesNotContain("debug agent");
    }
  }

  @Test
  void who_agentFromJavaToolOptionsOnly_isNamedFromTheEnvironment_onItsPortOnly() throws Exception {
    List<BerthJar.Result> results = parallel(() -> mine.run("who", Integer.toString(toolOptionsPort)),
        () -> bare.run("who", Integer.toString(toolOptionsPort)),
        () -> mine.run("who", Integer.toString(toolOptionsAppPort)));
    for (BerthJar.Result agent : results.subList(0, 2)) {
      assertThat(agent.out).as(agent.toString())
          .startsWith("port " + toolOptionsPort + ": held by pid " + toolOptionsJvm.pid() + " outside Berth: ")
          .doesNotContain("-agentlib")
          .contains("(a Java debug agent (JDWP) of pid " + toolOptionsJvm.pid() + ")");
    }
    BerthJar.Result app = results.get(2);
    assertThat(app.out).as(app.toString())
        .startsWith("port " + toolOptionsAppPort + ": held by pid " + toolOptionsJvm.pid() + " outside Berth: ")
        .doesNotContain("debug agent");
    assertThat(output(toolOptionsJvm)).doesNotContain("handshake failed");
  }

  @Test
  void who_nodeInspectorPort_namesTheNodeInspector() throws Exception {
    assumeTrue(node != null, "node is not installed (.ci/run installs it)");
    for (BerthJar.Result who : whoInEach(inspectorPort)) {
      assertThat(who.out).as(who.toString())
          .startsWith("port " + inspectorPort + ": held by pid " + node.pid() + " outside Berth: ")
          .contains("--inspect=127.0.0.1:" + inspectorPort, "(a Node inspector of pid " + node.pid() + ")");
    }
  }

  @Test
  void who_registryPorts_nameThisStateDirsRegistry_andAnotherStateDirsWithThatDir() throws Exception {
    long minePid = registryPid(mine);
    long otherPid = registryPid(other);
    String otherDir = other.home().toString();

    List<BerthJar.Result> results = parallel(() -> mine.run("who", Integer.toString(minePort)),
        () -> mine.run("who", Integer.toString(otherPort)),
        () -> bare.run("who", Integer.toString(minePort)));
    BerthJar.Result own = results.get(0);
    BerthJar.Result foreign = results.get(1);
    BerthJar.Result fromProc = results.get(2);

    assertThat(own.out).as(own.toString()).isEqualTo("port " + minePort
        + ": the Berth registry of this state dir (" + mine.home() + "), pid " + minePid + "\n");
    assertThat(foreign.out).as(foreign.toString()).isEqualTo("port " + otherPort
        + ": a Berth registry of another state dir, " + otherDir + " (pid " + otherPid + "): BERTH_HOME="
        + otherDir + " berth ls shows its instances\n");
    assertThat(fromProc.out).as(fromProc.toString())
        .startsWith("port " + minePort + ": a Berth registry of another state dir, " + mine.home() + " ");
    assertThat(fromProc.errLines()).as(fromProc.toString()).singleElement()
        .satisfies(l -> assertThat(l).contains("no Berth registry runs", "/proc"));
  }

  @Test
  void who_pythonListener_isAForeignProcessWithPidAndCommandLine() throws Exception {
    for (BerthJar.Result who : whoInEach(python.port())) {
      assertThat(who.exitCode).as(who.toString()).isZero();
      assertThat(who.out).as(who.toString())
          .startsWith("port " + python.port() + ": held by pid " + python.pid() + " outside Berth: ")
          .contains("python3 -c import socket")
          .doesNotContain("debug agent", "inspector", "registry");
    }
  }

  @Test
  void who_debugEndpointOfAnInstance_namesItAsThatInstancesAgent() throws Exception {
    String address = "127.0.0.1:" + minePort;
    try (Berth client = Berth.builder().stateDir(mine.home()).registry(address).autoStart(false).build();
        Claim claim = client.claim("orders").endpoint("debug", at -> BerthJar.listen(at.port()))
            .metadata("debug", "jdwp").bind()) {
      int port = claim.port("debug");

      BerthJar.Result who = mine.run("who", Integer.toString(port));

      assertThat(who.out).as(who.toString()).startsWith("port " + port + ": orders/debug, instance ")
          .contains("(pid " + ProcessHandle.current().pid() + "): that instance's Java debug agent (JDWP)");
    }
  }

  /** {@code berth who port} with this state dir's registry running and where none runs, at once. */
  private static List<BerthJar.Result> whoInEach(int port) throws Exception {
    return parallel(() -> mine.run("who", Integer.toString(port)), () -> bare.run("who", Integer.toString(port)));
  }

  /** Runs each at once (a berth JVM takes a second to start) and returns their results in order. */
  @SafeVarargs
  private static List<BerthJar.Result> parallel(Callable<BerthJar.Result>... runs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(runs.length);
    try {
      List<Future<BerthJar.Result>> futures = new ArrayList<>();
      for (Callable<BerthJar.Result> run : runs) {
        futures.add(pool.submit(run));
      }
      List<BerthJar.Result> results = new ArrayList<>();
      for (Future<BerthJar.Result> f : futures) {
        results.add(f.get(2, TimeUnit.MINUTES)); // each run is bounded by BerthJar too
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Process start(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve("child-" + children.size() + ".out").toFile());
    builder.environment().keySet().removeAll(
        List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "NODE_OPTIONS"));
    builder.environment().putAll(env);
    Process p = builder.start();
    children.add(p);
    return p;
  }

  private static String output(Process p) throws Exception {
    return Files.readString(temp.resolve("child-" + children.indexOf(p) + ".out"), StandardCharsets.UTF_8);
  }

  /** Until {@code p} itself holds a listening socket on {@code port}, read in /proc (never a connect). */
  private static void awaitListening(Process p, int port) throws Exception {
    PortHolders holders = PortHolders.system();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (holders.find(port).map(h -> h.pid() == p.pid()).orElse(false)) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError(p.info().command().orElse("child") + " exited " + p.exitValue()
            + " before listening on " + port + ": " + output(p));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("nothing of pid " + p.pid() + " listens on " + port + " within " + WAIT
        + ": " + output(p));
  }

  private static int registryPort(BerthJar berth) throws Exception {
    String address = StateDir.of(berth.home()).readRegistryInfo().orElseThrow().getAddress();
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private static long registryPid(BerthJar berth) throws Exception {
    return StateDir.of(berth.home()).readRegistryInfo().orElseThrow().getPid();
  }

  private static boolean onPath(String program) {
    try {
      return new ProcessBuilder("sh", "-c", "command -v " + program).start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
