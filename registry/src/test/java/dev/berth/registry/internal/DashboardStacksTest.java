package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Timestamp;
import dev.berth.local.internal.ProcStat;
import dev.berth.local.internal.StackStateFile;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stacks in a temp state dir: a stack.json written as the supervisor writes it, whose supervisor
 * is this JVM (running, with its real start time) or a child that has exited (gone); actions
 * against a control socket served in the test with the protocol's own line code.
 */
class DashboardStacksTest {

  private static final long SELF = ProcessHandle.current().pid();
  private static final Timestamp STARTED = timestamp("2026-12-02T13:00:00Z");
  private static final Timestamp SINCE = timestamp("2026-12-02T13:01:00.120Z");

  @TempDir
  Path home;

  @Test
  void json_withNoStacksDir_isAnEmptyArray() {
    assertThat(new DashboardStacks(home).json(true)).isEqualTo("[]");
  }

  @Test
  void json_listsTheStacksWhoseSupervisorRuns_asTheContractSpellsThem_notOnesWhoseSupervisorIsGone()
      throws Exception {
    write(running("shop-1a2b"));
    write(gone("old-9f8e"));
    Files.createDirectories(home.resolve("stacks").resolve("Not A Stack"));

    JsonArray stacks = JsonParser.parseString(new DashboardStacks(home).json(false)).getAsJsonArray();

    assertThat(stacks).hasSize(1);
    JsonObject stack = stacks.get(0).getAsJsonObject();
    assertThat(stack.keySet()).containsExactly("namespace", "file", "supervisorPid", "started", "processes");
    assertThat(stack.get("namespace").getAsString()).isEqualTo("shop-1a2b");
    assertThat(stack.get("file").getAsString()).isEqualTo("/home/me/shop/berth.yaml");
    assertThat(stack.get("supervisorPid").getAsLong()).isEqualTo(SELF);
    assertThat(stack.get("started").getAsString()).isEqualTo("2026-12-02T13:00:00Z");
    JsonArray processes = stack.getAsJsonArray("processes");
    assertThat(processes).hasSize(4);
    JsonObject orders = processes.get(0).getAsJsonObject();
    assertThat(orders.keySet()).containsExactly("service", "instance", "state", "pid", "restarts", "since",
        "lastExit", "lastSignal", "detail", "ports");
    assertThat(orders.get("service").getAsString()).isEqualTo("orders");
    assertThat(orders.get("instance").getAsInt()).isEqualTo(1);
    assertThat(orders.get("state").getAsString()).isEqualTo("live");
    assertThat(orders.get("pid").getAsLong()).isEqualTo(1234);
    assertThat(orders.get("restarts").getAsInt()).isEqualTo(2);
    assertThat(orders.get("since").getAsString()).isEqualTo("2026-12-02T13:01:00.120Z");
    assertThat(orders.get("lastExit").getAsInt()).isEqualTo(-1);
    assertThat(orders.get("lastSignal").getAsInt()).isEqualTo(9);
    assertThat(orders.get("detail").getAsString()).isEqualTo("");
    assertThat(orders.getAsJsonObject("ports").get("grpc").getAsInt()).isEqualTo(61001);
    JsonObject waiting = processes.get(3).getAsJsonObject();
    assertThat(waiting.get("service").getAsString()).isEqualTo("gateway");
    assertThat(waiting.get("since").isJsonNull()).isTrue();
    assertThat(waiting.get("detail").getAsString()).isEqualTo("waiting for \"orders\"");
  }

  @Test
  void json_forTheOwner_carriesTheLast20LinesOfEachServicesLog_readFromTheEndOfABigFile() throws Exception {
    write(running("shop-1a2b"));
    Path logs = Files.createDirectories(StackStateFile.of(home, "shop-1a2b").logsDir());
    try (BufferedWriter out = Files.newBufferedWriter(logs.resolve("orders.log"), StandardCharsets.UTF_8)) {
      for (int i = 1; i <= 30_000; i++) {
        out.write("2026-12-02T13:01:00.120Z " + (i % 2 + 1) + " out request " + i + "\n");
      }
    }
    assertThat(Files.size(logs.resolve("orders.log"))).isGreaterThan(1024 * 1024);
    Files.writeString(logs.resolve("catalog.log"), "2026-12-02T13:01:00.120Z 1 berth live on 127.0.0.1:61002\n");
    List<String> last20 = IntStream.rangeClosed(29_981, 30_000)
        .mapToObj(i -> "2026-12-02T13:01:00.120Z " + (i % 2 + 1) + " out request " + i).toList();

    JsonArray processes = JsonParser.parseString(new DashboardStacks(home).json(true)).getAsJsonArray()
        .get(0).getAsJsonObject().getAsJsonArray("processes");

    assertThat(lines(processes.get(0).getAsJsonObject().getAsJsonArray("log"))).containsExactlyElementsOf(last20);
    assertThat(lines(processes.get(1).getAsJsonObject().getAsJsonArray("log")))
        .as("the second instance of orders: the same file").containsExactlyElementsOf(last20);
    assertThat(processes.get(1).getAsJsonObject().get("instance").getAsInt()).isEqualTo(2);
    assertThat(lines(processes.get(2).getAsJsonObject().getAsJsonArray("log")))
        .containsExactly("2026-12-02T13:01:00.120Z 1 berth live on 127.0.0.1:61002");
    assertThat(lines(processes.get(3).getAsJsonObject().getAsJsonArray("log"))).as("gateway has no log yet").isEmpty();
  }

  @Test
  void json_forAReader_hasNoLogKey() throws Exception {
    write(running("shop-1a2b"));
    Path logs = Files.createDirectories(StackStateFile.of(home, "shop-1a2b").logsDir());
    Files.writeString(logs.resolve("orders.log"), "2026-12-02T13:01:00.120Z 1 out secret=hunter2\n");

    String json = new DashboardStacks(home).json(false);

    assertThat(json).doesNotContain("\"log\"").doesNotContain("hunter2");
    assertThat(new DashboardStacks(home).json(true)).contains("\"log\":[").contains("hunter2");
  }

  @Test
  void json_seesAStackAgainOnceItsFileIsReplacedByARunningSupervisor() throws Exception {
    DashboardStacks stacks = new DashboardStacks(home);
    write(gone("shop-1a2b"));
    assertThat(stacks.json(false)).isEqualTo("[]");

    write(running("shop-1a2b"));

    assertThat(JsonParser.parseString(stacks.json(false)).getAsJsonArray()).hasSize(1);
  }

  @Test
  void act_restartAndStop_sendTheLinesBerthRestartAndStopSend() throws Exception {
    Path socket = StackStateFile.of(home, "shop-1a2b").dir().resolve("control.sock");
    try (FakeSupervisorSocket supervisor = FakeSupervisorSocket.answering(socket, "ok")) {
      write(running("shop-1a2b").toBuilder().setControlSocket(socket.toString()).build());
      DashboardStacks stacks = new DashboardStacks(home, Duration.ofSeconds(5));

      stacks.act("restart", "shop-1a2b", "orders");
      stacks.act("stop", "shop-1a2b", "catalog");

      assertThat(supervisor.requests()).containsExactly("restart orders", "stop catalog");
    }
  }

  @Test
  void act_onAStateWithoutASocketPath_usesTheStackDirsControlSocket() throws Exception {
    Path socket = StackStateFile.of(home, "shop-1a2b").dir().resolve(StackStateFile.CONTROL_SOCKET);
    try (FakeSupervisorSocket supervisor = FakeSupervisorSocket.answering(socket, "ok")) {
      write(running("shop-1a2b"));

      new DashboardStacks(home, Duration.ofSeconds(5)).act("restart", "shop-1a2b", "gateway");

      assertThat(supervisor.requests()).containsExactly("restart gateway");
    }
  }

  @Test
  void act_whenTheSupervisorRefusesTheService_isNoSuchElement_withItsMessage() throws Exception {
    Path socket = StackStateFile.of(home, "shop-1a2b").dir().resolve("control.sock");
    try (FakeSupervisorSocket supervisor = FakeSupervisorSocket.answering(socket,
        "error arg service: 'orders' (expected one of [catalog])")) {
      write(running("shop-1a2b").toBuilder().setControlSocket(socket.toString()).build());

      assertThatThrownBy(() -> new DashboardStacks(home, Duration.ofSeconds(5)).act("stop", "shop-1a2b", "orders"))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessage("stack 'shop-1a2b': service: 'orders' (expected one of [catalog])");
    }
  }

  @Test
  void act_whenTheSupervisorFails_isIllegalState_namingTheActionAndItsMessage() throws Exception {
    Path socket = StackStateFile.of(home, "shop-1a2b").dir().resolve("control.sock");
    try (FakeSupervisorSocket supervisor = FakeSupervisorSocket.answering(socket,
        "error state the stack is stopping (berth up starts it again once it has)")) {
      write(running("shop-1a2b").toBuilder().setControlSocket(socket.toString()).build());

      assertThatThrownBy(() -> new DashboardStacks(home, Duration.ofSeconds(5)).act("restart", "shop-1a2b", "orders"))
          .isExactlyInstanceOf(IllegalStateException.class)
          .hasMessage("restart orders in stack 'shop-1a2b': the stack is stopping (berth up starts it again"
              + " once it has)");
    }
  }

  @Test
  void act_whenTheSupervisorDoesNotAnswer_isIllegalState_afterTheTimeout() throws Exception {
    Path socket = StackStateFile.of(home, "shop-1a2b").dir().resolve("control.sock");
    try (FakeSupervisorSocket supervisor = FakeSupervisorSocket.answering(socket, FakeSupervisorSocket.SILENT)) {
      write(running("shop-1a2b").toBuilder().setControlSocket(socket.toString()).build());
      DashboardStacks stacks = new DashboardStacks(home, Duration.ofMillis(300));

      long start = System.nanoTime();
      assertThatThrownBy(() -> stacks.act("restart", "shop-1a2b", "orders"))
          .isExactlyInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("restart orders in stack 'shop-1a2b': the supervisor on " + socket)
          .hasMessageContaining("did not answer 'restart orders' within 300 ms");

      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the timeout").isLessThan(Duration.ofSeconds(5));
      assertThat(supervisor.requests()).containsExactly("restart orders");
    }
  }

  @Test
  void act_whenNoSupervisorListens_isIllegalState() throws Exception {
    Path socket = StackStateFile.of(home, "shop-1a2b").dir().resolve("control.sock");
    write(running("shop-1a2b").toBuilder().setControlSocket(socket.toString()).build());

    assertThatThrownBy(() -> new DashboardStacks(home, Duration.ofSeconds(5)).act("stop", "shop-1a2b", "orders"))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("stop orders in stack 'shop-1a2b': no supervisor answers on " + socket);
  }

  @Test
  void act_onAStackWhoseSupervisorIsGone_isNoSuchElement_andNeverReachesItsSocket() throws Exception {
    Path socket = StackStateFile.of(home, "shop-1a2b").dir().resolve("control.sock");
    try (FakeSupervisorSocket supervisor = FakeSupervisorSocket.answering(socket, "ok")) {
      StackState gone = gone("shop-1a2b").toBuilder().setControlSocket(socket.toString()).build();
      write(gone);

      assertThatThrownBy(() -> new DashboardStacks(home).act("restart", "shop-1a2b", "orders"))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessage("stack 'shop-1a2b' is not running (its supervisor pid " + gone.getSupervisorPid()
              + " is gone): 'berth up' in its directory starts it again");
      assertThat(supervisor.requests()).isEmpty();
    }
  }

  @Test
  void act_onAnUnknownStackOrService_isNoSuchElement_namingIt() throws Exception {
    Path socket = StackStateFile.of(home, "shop-1a2b").dir().resolve("control.sock");
    try (FakeSupervisorSocket supervisor = FakeSupervisorSocket.answering(socket, "ok")) {
      write(running("shop-1a2b").toBuilder().setControlSocket(socket.toString()).build());
      DashboardStacks stacks = new DashboardStacks(home);

      assertThatThrownBy(() -> stacks.act("restart", "nosuch-1234", "orders"))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessage("stack 'nosuch-1234' is not up (no " + home.resolve("stacks/nosuch-1234/stack.json")
              + "): 'berth up' in its directory starts it");
      assertThatThrownBy(() -> stacks.act("restart", "shop-1a2b", "billing"))
          .isInstanceOf(NoSuchElementException.class)
          .hasMessage("service 'billing' is not in stack 'shop-1a2b' (expected one of [orders, catalog, gateway])");
      assertThat(supervisor.requests()).isEmpty();
    }
  }

  @Test
  void act_withABadVerbOrName_isIllegalArgument_namingTheValue() {
    DashboardStacks stacks = new DashboardStacks(home);

    assertThatThrownBy(() -> stacks.act("kill", "shop-1a2b", "orders"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("action: 'kill' (expected: restart or stop)");
    assertThatThrownBy(() -> stacks.act("stop-all", "shop-1a2b", "orders"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("action: 'stop-all'");
    assertThatThrownBy(() -> stacks.act("stop", "../etc", "orders"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("namespace: '../etc' (expected: a DNS label");
    assertThatThrownBy(() -> stacks.act("stop", "shop-1a2b", "orders all"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("service: 'orders all' (expected: a DNS label");
    assertThatThrownBy(() -> stacks.act("stop", "shop-1a2b", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("service: 'null'");
  }

  // ---

  private void write(StackState state) {
    StackStateFile.of(home, state.getNamespace()).write(state);
  }

  /** A stack whose supervisor is this JVM: running, its pid with its real start time. */
  private static StackState running(String namespace) {
    return stack(namespace, SELF, ProcStat.startTicks(SELF).orElseThrow());
  }

  /** A stack whose supervisor was a child that has exited: its pid and start time name nobody now. */
  private static StackState gone(String namespace) throws Exception {
    Process child = new ProcessBuilder("sleep", "30").start();
    long ticks;
    try {
      ticks = ProcStat.startTicks(child.pid()).orElseThrow();
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(ProcStat.sameProcess(child.pid(), ticks)).isFalse();
    return stack(namespace, child.pid(), ticks);
  }

  private static StackState stack(String namespace, long pid, long ticks) {
    return StackState.newBuilder().setNamespace(namespace).setFile("/home/me/shop/berth.yaml")
        .setSupervisorPid(pid).setSupervisorStartTicks(ticks).setStarted(STARTED)
        .addProcesses(StackProcess.newBuilder().setService("orders").setInstance(1).setState("live")
            .setPid(1234).setStartTicks(99).putPorts("grpc", 61001).setRestarts(2).setSince(SINCE)
            .setLastExit(-1).setLastSignal(9))
        .addProcesses(StackProcess.newBuilder().setService("orders").setInstance(2).setState("live")
            .setPid(1235).putPorts("grpc", 61003).setSince(SINCE).setLastExit(-1))
        .addProcesses(StackProcess.newBuilder().setService("catalog").setInstance(1).setState("live")
            .setPid(1236).putPorts("grpc", 61002).putPorts("metrics", 61004).setSince(SINCE).setLastExit(-1))
        .addProcesses(StackProcess.newBuilder().setService("gateway").setInstance(1).setState("waiting")
            .setDetail("waiting for \"orders\"").setLastExit(-1))
        .build();
  }

  private static List<String> lines(JsonArray log) {
    List<String> lines = new java.util.ArrayList<>();
    log.forEach(e -> lines.add(e.getAsString()));
    return lines;
  }

  private static Timestamp timestamp(String instant) {
    Instant t = Instant.parse(instant);
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
