package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.berth.cli.internal.stack.LogFiles;
import dev.berth.cli.internal.stack.StackNamespace;
import dev.berth.cli.internal.stack.StackOutput;
import dev.berth.local.internal.ProcStat;
import dev.berth.local.internal.StackStateFile;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth ps}, {@code logs}, {@code restart}, {@code stop} and {@code down} of the real jar
 * against a handcrafted stack: a stack.json in a temp state dir, log files, and a python3
 * "supervisor" that answers the control socket's lines (the real one is the supervisor
 * branch's; what is pinned here is the commands' side).
 */
class StackCommandsIT {

  /** Records each request line, answers as a supervisor would, exits after stop-all. */
  private static final String FAKE_SUPERVISOR = String.join("\n",
      "import os, socket, sys",
      "path, record, state = sys.argv[1], sys.argv[2], sys.argv[3]",
      "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
      "s.bind(path)",
      "s.listen(8)",
      "print('listening', flush=True)",
      "while True:",
      "    c, _ = s.accept()",
      "    f = c.makefile('rwb')",
      "    line = f.readline().decode().strip()",
      "    open(record, 'a').write(line + '\\n')",
      "    verb, _, svc = line.partition(' ')",
      "    if verb in ('restart', 'stop') and svc not in ('orders', 'catalog'):",
      "        f.write((\"error arg service '%s': not in this stack (expected: one of catalog, orders)\\n\""
          + " % svc).encode())",
      "    elif verb == 'status':",
      "        f.write(b'ok ' + open(state, 'rb').read().replace(b'\\n', b' ') + b'\\n')",
      "    else:",
      "        f.write(b'ok\\n')",
      "    f.flush()",
      "    c.close()",
      "    if verb == 'stop-all':",
      "        os.unlink(path)",
      "        sys.exit(0)",
      "");

  @TempDir
  Path temp;

  private BerthJar berth;
  private Path stackFile;
  private String namespace;
  private StackStateFile state;
  private Process supervisor;

  @BeforeEach
  void setUp() throws Exception {
    berth = new BerthJar(temp);
    Path shop = Files.createDirectories(temp.resolve("shop"));
    stackFile = Files.writeString(shop.resolve("berth.yaml"), "services: {}\n");
    namespace = StackNamespace.forDir(shop);
    state = StackStateFile.of(berth.home(), namespace);
    state.createDir();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (supervisor != null) {
      supervisor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    berth.close();
  }

  private Process startFakeSupervisor() throws Exception {
    Path script = Files.writeString(temp.resolve("supervisor.py"), FAKE_SUPERVISOR);
    supervisor = new ProcessBuilder("python3", script.toString(), socket().toString(),
        temp.resolve("requests").toString(), state.path().toString())
        .redirectErrorStream(true).start();
    String first = new String(supervisor.getInputStream().readNBytes("listening\n".length()));
    assertThat(first).isEqualTo("listening\n");
    return supervisor;
  }

  private Path socket() {
    return state.dir().resolve("control.sock");
  }

  private List<String> requests() throws Exception {
    return Files.readAllLines(temp.resolve("requests"));
  }

  private void writeState(long supervisorPid, Instant now) {
    state.write(StackState.newBuilder()
        .setNamespace(namespace)
        .setFile(stackFile.toString())
        .setSupervisorPid(supervisorPid)
        .setSupervisorStartTicks(ProcStat.startTicks(supervisorPid).orElse(0))
        .setControlSocket(socket().toString())
        .addProcesses(StackProcess.newBuilder().setService("catalog").setInstance(1).setState("live")
            .setPid(4301).putPorts("main", 61000).setSince(timestamp(now.minusSeconds(125))))
        .addProcesses(StackProcess.newBuilder().setService("orders").setInstance(1).setState("live")
            .setPid(4302).putPorts("main", 61001).setRestarts(2).setSince(timestamp(now.minusSeconds(7))))
        .addProcesses(StackProcess.newBuilder().setService("orders").setInstance(2).setState("backoff")
            .putPorts("main", 61003).setRestarts(1).setLastExit(1).setDetail("exited with code 1; restarting"))
        .addProcesses(StackProcess.newBuilder().setService("gateway").setInstance(1).setState("waiting")
            .setDetail("waiting for orders"))
        .build());
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  @Test
  void ps_ofAStackThatIsNotUp_saysSoAndHowToStartIt() throws Exception {
    BerthJar.Result ps = berth.run("ps", "-f", stackFile.toString());

    assertThat(ps.exitCode).as(ps.toString()).isZero();
    assertThat(ps.out.lines()).containsExactly("stack " + namespace + " is not up (no stack.json in "
        + state.dir() + "): 'berth up' starts it");
  }

  @Test
  void ps_ofALiveStack_showsEveryInstance_andJson() throws Exception {
    startFakeSupervisor();
    writeState(supervisor.pid(), Instant.now());

    BerthJar.Result ps = berth.run("ps", "-f", stackFile.toString());

    assertThat(ps.exitCode).as(ps.toString()).isZero();
    List<String> lines = ps.out.lines().toList();
    assertThat(lines.get(0)).matches(
        "SERVICE +INSTANCE +STATE +PID +ADDRESS +RESTARTS +UPTIME +DETAIL");
    assertThat(lines.get(1)).matches("catalog +1 +live +4301 +127\\.0\\.0\\.1:61000 +0 +2m0[5-9]s *");
    assertThat(lines.get(2)).matches("orders +1 +live +4302 +127\\.0\\.0\\.1:61001 +2 +[0-9]+s *");
    assertThat(lines.get(3)).matches(
        "orders +2 +backoff +- +127\\.0\\.0\\.1:61003 +1 +- +exited with code 1; restarting");
    assertThat(lines.get(4)).matches("gateway +1 +waiting +- +- +0 +- +waiting for orders");
    assertThat(lines).hasSize(5);
    assertThat(requests()).as("asked the running supervisor").containsExactly("status");

    BerthJar.Result json = berth.run("ps", "-f", stackFile.toString(), "--json");
    assertThat(json.exitCode).as(json.toString()).isZero();
    assertThat(json.out).contains("{\"service\": \"orders\", \"instance\": 2, \"state\": \"backoff\", \"pid\": 0,"
        + " \"address\": \"127.0.0.1:61003\", \"ports\": {\"main\": 61003}, \"restarts\": 1, \"since\": null,"
        + " \"lastExit\": 1, \"lastSignal\": 0, \"detail\": \"exited with code 1; restarting\"}");
  }

  @Test
  void ps_ofAStackWhoseSupervisorWasKilled_saysItIsNotRunningAndHowToRestartIt() throws Exception {
    startFakeSupervisor();
    long pid = supervisor.pid();
    writeState(pid, Instant.now());
    supervisor.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9

    BerthJar.Result ps = berth.run("ps", "-f", stackFile.toString());

    assertThat(ps.exitCode).as(ps.toString()).isZero();
    assertThat(ps.out.lines()).containsExactly("stack " + namespace + " is not running (its supervisor pid "
        + pid + " is gone; berth up restarts it)");
  }

  @Test
  void restartStopDown_reachTheSupervisor_unknownServiceIsItsOneLine_downWaitsForItsExit() throws Exception {
    startFakeSupervisor();
    writeState(supervisor.pid(), Instant.now());

    BerthJar.Result restart = berth.run("restart", "-f", stackFile.toString(), "orders");
    BerthJar.Result unknown = berth.run("restart", "-f", stackFile.toString(), "nosuch");
    BerthJar.Result stop = berth.run("stop", "-f", stackFile.toString(), "catalog");
    BerthJar.Result down = berth.run("down", "-f", stackFile.toString());

    assertThat(restart.exitCode).as(restart.toString()).isZero();
    assertThat(restart.out.lines()).containsExactly("restarted orders");
    assertThat(unknown.exitCode).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.errLines()).containsExactly("berth: service 'nosuch': not in this stack (expected:"
        + " one of catalog, orders) (see 'berth restart --help')");
    assertThat(stop.exitCode).as(stop.toString()).isZero();
    assertThat(stop.out.lines()).containsExactly("stopped catalog");
    assertThat(down.exitCode).as(down.toString()).isZero();
    assertThat(down.out.lines()).containsExactly("stopped stack " + namespace + " (supervisor pid "
        + supervisor.pid() + ")");
    assertThat(supervisor.isAlive()).as("down returned after the supervisor exited").isFalse();
    assertThat(requests()).containsExactly("restart orders", "restart nosuch", "stop catalog", "stop-all");
  }

  @Test
  void restart_ofAStackThatIsNotUp_isOneLineNamingIt() throws Exception {
    BerthJar.Result restart = berth.run("restart", "-f", stackFile.toString(), "orders");

    assertThat(restart.exitCode).as(restart.toString()).isEqualTo(1);
    assertThat(restart.errLines()).containsExactly("berth: stack " + namespace + " is not up (no stack.json in "
        + state.dir() + "): 'berth up' starts it");
  }

  @Test
  void logs_mergeEveryServiceByTime_withTheConsolesPrefixes_oneService_since_andFollow() throws Exception {
    Instant t0 = Instant.parse("2026-12-02T04:00:00Z");
    try (LogFiles logs = LogFiles.open(LogFiles.dirOf(state.dir()), Clock.fixed(t0, ZoneOffset.UTC),
        LogFiles.DEFAULT_MAX_BYTES)) {
      logs.line("orders", 1, StackOutput.Stream.OUT, "first");
    }
    try (LogFiles logs = LogFiles.open(LogFiles.dirOf(state.dir()),
        Clock.fixed(t0.plusSeconds(60), ZoneOffset.UTC), LogFiles.DEFAULT_MAX_BYTES)) {
      logs.event("catalog", 1, "live on 127.0.0.1:61000");
      logs.line("orders", 1, StackOutput.Stream.ERR, "second");
    }

    BerthJar.Result all = berth.run("logs", "--file", stackFile.toString());
    BerthJar.Result orders = berth.run("logs", "orders", "--file", stackFile.toString(),
        "--since", "2026-12-02T04:00:30Z", "-t");

    assertThat(all.exitCode).as(all.toString()).isZero();
    assertThat(all.out.lines()).containsExactly(
        "orders  | first",
        "catalog | live on 127.0.0.1:61000",
        "orders  | second");
    assertThat(orders.exitCode).as(orders.toString()).isZero();
    assertThat(orders.out.lines()).containsExactly("2026-12-02T04:01:00Z orders  | second");

    BerthJar.Started follow = berth.start("logs", "-f", "--file", stackFile.toString());
    try {
      follow.awaitLine("orders  | second", Duration.ofSeconds(30));
      try (LogFiles logs = LogFiles.open(LogFiles.dirOf(state.dir()), Clock.systemUTC(),
          LogFiles.DEFAULT_MAX_BYTES)) {
        logs.line("orders", 1, StackOutput.Stream.OUT, "third, while followed");
      }
      follow.awaitLine("orders  | third, while followed", Duration.ofSeconds(30));
    } finally {
      follow.process.destroyForcibly();
    }
  }

  @Test
  void logs_ofAServiceWithoutLog_namesTheServicesThatHaveOne() throws Exception {
    try (LogFiles logs = LogFiles.open(LogFiles.dirOf(state.dir()), Clock.systemUTC(), LogFiles.DEFAULT_MAX_BYTES)) {
      logs.line("orders", 1, StackOutput.Stream.OUT, "x");
    }

    BerthJar.Result r = berth.run("logs", "nosuch", "--file", stackFile.toString());

    assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).singleElement().asString().startsWith("berth: service 'nosuch': no log in "
        + LogFiles.dirOf(state.dir()) + " (expected: one of orders)");
  }
}
