package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.internal.PortWaiter;
import dev.berth.cli.internal.stack.StackNamespace;
import dev.berth.local.internal.ProcStat;
import dev.berth.local.internal.StackStateFile;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth up} as a real process: SIGINT stops the stack in reverse dependency order and
 * leaves nothing listening; after a {@code kill -9} of the supervisor the next {@code berth up}
 * stops the orphans it finds in stack.json and brings every service back on its own port.
 */
class UpIT {

  /** Listens on $PORT; on SIGTERM appends "NAME <monotonic ns>" to stops.log, then exits. */
  private static final String LISTENER = String.join("\n",
      "import os, signal, socket, sys, time",
      "name = sys.argv[1]",
      "def bye(*_):",
      "    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'stops.log'), 'a') as f:",
      "        f.write('%s %d\\n' % (name, time.monotonic_ns()))",
      "    sys.exit(0)",
      "signal.signal(signal.SIGTERM, bye)",
      "s = socket.socket()",
      "s.bind(('127.0.0.1', int(os.environ['PORT'])))",
      "s.listen()",
      "print(name, 'pid', os.getpid(), flush=True)",
      "while True: time.sleep(3600)",
      "");

  private static final String STACK = String.join("\n",
      "services:",
      "  db:",
      "    command: [python3, listen.py, db]",
      "  api:",
      "    command: [python3, listen.py, api]",
      "    depends_on: [db]",
      "  web:",
      "    command: [python3, listen.py, web]",
      "    env:",
      "      API: ${api}",
      "");

  @TempDir
  Path temp;
  BerthJar berth;
  Path stack;
  Path file;

  @BeforeEach
  void stack() throws Exception {
    berth = new BerthJar(temp);
    stack = Files.createDirectories(temp.resolve("shop"));
    file = stack.resolve("berth.yaml");
    Files.writeString(file, STACK);
    Files.writeString(stack.resolve("listen.py"), LISTENER);
  }

  @AfterEach
  void stop() throws Exception {
    // whatever a failed test left: the supervisor's children are in sessions of their own
    for (StackProcess p : state().map(StackState::getProcessesList).orElse(List.of())) {
      if (ProcStat.sameProcess(p.getPid(), p.getStartTicks())) {
        ProcessHandle.of(p.getPid()).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    berth.close();
  }

  private java.util.Optional<StackState> state() throws Exception {
    return StackStateFile.of(berth.home(), StackNamespace.forDir(stack)).read();
  }

  /** Reads stack.json until every service is live (bounded). */
  private Map<String, StackProcess> awaitLive(BerthJar.Started up) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      var s = state();
      if (s.isPresent() && s.get().getSupervisorPid() == up.process.pid() && s.get().getProcessesCount() == 3
          && s.get().getProcessesList().stream().allMatch(p -> p.getState().equals("live"))) {
        return s.get().getProcessesList().stream()
            .collect(Collectors.toMap(StackProcess::getService, p -> p));
      }
      if (!up.process.isAlive()) {
        throw new AssertionError("berth up exited " + up.process.exitValue() + "\n" + up.out() + up.err());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not all live within 60 s: " + state() + "\n" + up.out() + up.err());
  }

  private static void signal(String signal, long pid) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
  }

  private static boolean listening(int port) {
    return PortWaiter.accepts(new InetSocketAddress("127.0.0.1", port));
  }

  @Test
  void sigint_stopsAllInReverseDependencyOrder_leavesNothingListening_exitsZero() throws Exception {
    BerthJar.Started up = berth.start("up", "-f", file.toString());
    Map<String, StackProcess> live = awaitLive(up);

    signal("INT", up.process.pid());

    BerthJar.Result result = up.await(Duration.ofSeconds(30));
    assertThat(result.exitCode).as(result.toString()).isZero();
    List<String> stops = Files.readAllLines(stack.resolve("stops.log")).stream()
        .sorted(Comparator.comparingLong(l -> Long.parseLong(l.split(" ")[1])))
        .map(l -> l.split(" ")[0]).toList();
    assertThat(stops).containsExactly("web", "api", "db");
    for (StackProcess p : live.values()) {
      assertThat(ProcessHandle.of(p.getPid()).map(ProcessHandle::isAlive)).as(p.getService()).isNotEqualTo(java.util.Optional.of(true));
      assertThat(listening(p.getPortsMap().get("main"))).as(p.getService()).isFalse();
    }
    assertThat(state().orElseThrow().getStopped()).isTrue();
  }

  @Test
  void killMinus9OfTheSupervisor_nextUpStopsTheOrphans_everyServiceBackOnItsPort() throws Exception {
    BerthJar.Started first = berth.start("up", "-f", file.toString());
    Map<String, StackProcess> before = awaitLive(first);
    signal("KILL", first.process.pid());
    first.process.waitFor(10, TimeUnit.SECONDS);
    // the children live on, each in its session, holding its port
    for (StackProcess p : before.values()) {
      assertThat(ProcStat.sameProcess(p.getPid(), p.getStartTicks())).as(p.getService()).isTrue();
    }

    BerthJar.Started second = berth.start("up", "-f", file.toString());
    Map<String, StackProcess> after = awaitLive(second);

    for (StackProcess p : before.values()) {
      assertThat(ProcessHandle.of(p.getPid()).map(ProcessHandle::isAlive)).as(p.getService())
          .isNotEqualTo(java.util.Optional.of(true));
      assertThat(after.get(p.getService()).getPid()).isNotEqualTo(p.getPid());
      assertThat(after.get(p.getService()).getPortsMap()).as(p.getService()).isEqualTo(p.getPortsMap());
      assertThat(after.get(p.getService()).getRestarts()).isZero();
    }
    assertThat(second.out()).contains("stopping pid " + before.get("db").getPid() + ", left running by a"
        + " supervisor that is gone (pid " + first.process.pid() + ")");
    signal("TERM", second.process.pid());
    assertThat(second.await(Duration.ofSeconds(30)).exitCode).isZero();
  }

  @Test
  void detached_returnsOnceAllAreLive_thenDownStopsThem_aFailedServiceIsExitOneNamingItsLogs() throws Exception {
    BerthJar.Result up = berth.run("up", "-d", "-f", file.toString());
    assertThat(up.exitCode).as(up.toString()).isZero();
    assertThat(up.out).contains("is up (supervisor pid");
    StackState state = state().orElseThrow();
    assertThat(state.getProcessesList()).allSatisfy(p -> assertThat(p.getState()).isEqualTo("live"));
    long supervisor = state.getSupervisorPid();
    assertThat(ProcStat.processGroup(supervisor)).as("its own session").hasValue(supervisor);

    assertThat(berth.run("down", "-f", file.toString()).exitCode).isZero();
    for (StackProcess p : state.getProcessesList()) {
      assertThat(listening(p.getPortsMap().get("main"))).as(p.getService()).isFalse();
    }

    Files.writeString(file, STACK + "  bad:\n    command: [sh, -c, 'exit 3']\n    restart: no\n");
    BerthJar.Result failed = berth.run("up", "-d", "-f", file.toString());
    assertThat(failed.exitCode).as(failed.toString()).isEqualTo(1);
    assertThat(failed.errLines()).singleElement().asString().contains("bad failed", "berth logs bad");
    assertThat(berth.run("down", "-f", file.toString()).exitCode).isZero();
  }
}
