package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.local.internal.ControlProtocol;
import dev.berth.local.internal.StackControl;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlSocketTest {

  @TempDir
  Path temp;

  /** A stack of two services that records what it was asked. */
  static class FakeStack implements StackControl {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public StackState status() {
      calls.add("status");
      return StackState.newBuilder().setNamespace("shop-abc123").setSupervisorPid(42)
          .addProcesses(StackProcess.newBuilder().setService("orders").setInstance(1).setState("live")
              .putPorts("main", 61001).setDetail("line one\nline two"))
          .build();
    }

    @Override
    public void restart(String service) {
      known(service);
      calls.add("restart " + service);
    }

    @Override
    public void stop(String service) {
      known(service);
      calls.add("stop " + service);
    }

    @Override
    public void stopAll() {
      calls.add("stop-all");
    }

    private static void known(String service) {
      if (!List.of("orders", "catalog").contains(service)) {
        throw new IllegalArgumentException("service '" + service + "': not in this stack (expected:"
            + " one of catalog, orders)");
      }
    }
  }

  @Test
  void roundTrip_statusRestartStopStopAll_reachTheSupervisor() throws Exception {
    FakeStack stack = new FakeStack();
    Path socket = temp.resolve("control.sock");
    try (ControlSocket server = ControlSocket.serve(socket, stack)) {
      StackControl client = ControlSocket.connect(socket, Duration.ofSeconds(10));

      StackState state = client.status();
      client.restart("orders");
      client.stop("catalog");
      client.stopAll();

      assertThat(state).isEqualTo(stack.status());
      assertThat(stack.calls).containsExactly("status", "restart orders", "stop catalog", "stop-all", "status");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
    }
    assertThat(socket).as("removed on close").doesNotExist();
  }

  @Test
  void unknownService_isTheSupervisorsMessage_asAnIllegalArgumentException() throws Exception {
    Path socket = temp.resolve("control.sock");
    try (ControlSocket server = ControlSocket.serve(socket, new FakeStack())) {
      StackControl client = ControlSocket.connect(socket, Duration.ofSeconds(10));

      assertThatThrownBy(() -> client.restart("nosuch"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("service 'nosuch': not in this stack (expected: one of catalog, orders)");
    }
  }

  @Test
  void aFailureOtherThanABadArgument_isAnIllegalStateExceptionOnOneLine() throws Exception {
    Path socket = temp.resolve("control.sock");
    StackControl failing = new FakeStack() {
      @Override
      public void stop(String service) {
        throw new IllegalStateException("cannot stop\norders");
      }
    };
    try (ControlSocket server = ControlSocket.serve(socket, failing)) {
      assertThatThrownBy(() -> ControlSocket.connect(socket, Duration.ofSeconds(10)).stop("orders"))
          .isExactlyInstanceOf(IllegalStateException.class).hasMessage("cannot stop orders");
    }
  }

  @Test
  void aBadRequestLine_isAnsweredWithOneErrorLine() throws Exception {
    Path socket = temp.resolve("control.sock");
    try (ControlSocket server = ControlSocket.serve(socket, new FakeStack());
        SocketChannel raw = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      raw.configureBlocking(false);
      ControlProtocol.writeLine(raw, "reboot now", Duration.ofSeconds(5));

      assertThat(ControlProtocol.readLine(raw, Duration.ofSeconds(5), 4096)).isEqualTo("error arg control"
          + " request 'reboot now' (expected: status, restart SERVICE, stop SERVICE or stop-all)");
    }
  }

  @Test
  void statusWhileARestartIsStillStopping_isAnswered() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch restarting = new CountDownLatch(1);
    FakeStack slow = new FakeStack() {
      @Override
      public void restart(String service) {
        restarting.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    Path socket = temp.resolve("control.sock");
    try (ControlSocket server = ControlSocket.serve(socket, slow)) {
      StackControl client = ControlSocket.connect(socket, Duration.ofSeconds(10));
      Thread restart = new Thread(() -> client.restart("orders"));
      restart.start();
      try {
        assertThat(restarting.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(ControlSocket.connect(socket, Duration.ofSeconds(5)).status().getNamespace())
            .isEqualTo("shop-abc123");
      } finally {
        release.countDown();
        restart.join(10_000);
      }
    }
  }

  @Test
  void connect_whereNobodyAnswers_saysTheStackIsNotUp() {
    Path socket = temp.resolve("control.sock");

    assertThatThrownBy(() -> ControlSocket.connect(socket).status())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("no supervisor answers on " + socket)
        .hasMessageEndingWith("'berth ps' says whether the stack is up ('berth up' starts it)");
  }

  @Test
  void serve_replacesASocketFileNobodyAnswersOn_butNotOneThatAnswers() throws Exception {
    Path socket = temp.resolve("control.sock");
    // what a kill -9'd supervisor leaves: the file, and nobody listening
    ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    dead.bind(UnixDomainSocketAddress.of(socket));
    dead.close();
    assertThat(socket).exists();

    try (ControlSocket server = ControlSocket.serve(socket, new FakeStack())) {
      assertThat(ControlSocket.connect(socket).status().getSupervisorPid()).isEqualTo(42);

      assertThatThrownBy(() -> ControlSocket.serve(socket, new FakeStack()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("control socket " + socket + " answers: another supervisor runs this stack"
              + " ('berth ps' shows it; 'berth down' stops it)");
    }
  }

  @Test
  void aClientThatNeverSendsItsRequest_isDroppedAfterTheRequestTimeout() throws Exception {
    Path socket = temp.resolve("control.sock");
    try (ControlSocket server = ControlSocket.serve(socket, new FakeStack(), Duration.ofMillis(200));
        SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      silent.configureBlocking(false);

      assertThatThrownBy(() -> ControlProtocol.readLine(silent, Duration.ofSeconds(10), 10))
          .isInstanceOf(java.io.EOFException.class);
    }
  }

  @Test
  void aSocketPathTooLong_isRefusedNamingTheFix() {
    Path deep = temp.resolve("d".repeat(120)).resolve("control.sock");

    assertThatThrownBy(() -> ControlSocket.connect(deep))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(expected: at most 107; a shorter --home or BERTH_HOME, or a shorter name of"
            + " the stack's directory, fixes it)");
  }
}
