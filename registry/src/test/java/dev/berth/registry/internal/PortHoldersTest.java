package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.local.PortProbe;
import dev.berth.testing.TestPools;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortHoldersTest {

  @Test
  void find_listeningSocketOfThisJvm_returnsOurPidAndCommandLine() throws Exception {
    try (ServerSocket s = TestPools.squat(TestPools.take(1).first())) {
      PortHolders.Holder h = PortHolders.system().find(s.getLocalPort()).orElseThrow();

      assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(h.commandLine()).contains("java");
    }
  }

  @Test
  void find_unusedPort_isEmpty() {
    assertThat(PortHolders.system().find(TestPools.take(1).first())).isEmpty();
  }

  @Test
  void find_inAFakeProc_matchesLinuxFormatsAndToleratesUnreadableOwners(@TempDir Path proc)
      throws Exception {
    Files.createDirectories(proc.resolve("net"));
    Files.writeString(proc.resolve("net/tcp"), String.join("\n",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1",
        "   1: 0100007F:1F91 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 4343 1",
        ""));
    Files.writeString(proc.resolve("net/tcp6"), String.join("\n",
        "  sl  local_address                         remote_address                        st ...",
        "   0: 00000000000000000000000000000000:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4444 1",
        ""));
    Path pid = Files.createDirectories(proc.resolve("77/fd"));
    Files.createSymbolicLink(pid.resolve("5"), Path.of("socket:[4242]"));
    Files.write(proc.resolve("77/cmdline"),
        "python3\0-c\0print(1)\nprint(2)\0".getBytes(StandardCharsets.UTF_8));
    PortHolders holders = new PortHolders(proc);

    assertThat(holders.find(8080)).hasValueSatisfying(h -> {
      assertThat(h.pid()).isEqualTo(77);
      // one line, whatever the arguments hold
      assertThat(h.describe()).isEqualTo("pid 77 (python3 -c print(1)\\x0aprint(2))");
    });
    assertThat(holders.find(8081)).as("not LISTEN").isEmpty();
    assertThat(holders.find(8082)).as("tcp6 listener, owner unknown")
        .hasValueSatisfying(h -> assertThat(h.pid()).isZero());
  }

  @Test
  void address_decodesTheKernelsLittleEndianWords() throws Exception {
    assertThat(ProcSockets.address("0100007F")).isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(ProcSockets.address("00000000")).isEqualTo(InetAddress.getByName("0.0.0.0"));
    assertThat(ProcSockets.address("00000000000000000000000001000000"))
        .isEqualTo(InetAddress.getByName("::1"));
    assertThat(ProcSockets.address("B80D0120000000000000000001000000"))
        .isEqualTo(InetAddress.getByName("2001:db8::1"));
  }

  @Test
  void ownership_ofThisJvmsListeners_isOwnedWithTheHostTheyListenOn() throws Exception {
    long me = ProcessHandle.current().pid();
    try (ServerSocket v6 = new ServerSocket()) {
      v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), TestPools.take(1).first()));
      PortHolders.Ownership o = PortHolders.system().ownership(v6.getLocalPort(), me);

      assertThat(o.kind()).isEqualTo(PortHolders.Ownership.Kind.OWNED);
      assertThat(o.host()).isEqualTo("::1");
    }
    try (ServerSocket v4 = TestPools.squat(TestPools.take(1).first())) {
      assertThat(PortHolders.system().ownership(v4.getLocalPort(), me).host())
          .isEqualTo("127.0.0.1");
    }
  }

  @Test
  void ownership_fromAProcessThatDoesNotListen_isForeignNamingTheHolder() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try (ServerSocket s = TestPools.squat(TestPools.take(1).first())) {
      PortHolders.Ownership o = PortHolders.system().ownership(s.getLocalPort(), sleeper.pid());

      assertThat(o.kind()).isEqualTo(PortHolders.Ownership.Kind.FOREIGN);
      assertThat(o.other()).hasValueSatisfying(
          h -> assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid()));
    } finally {
      sleeper.destroyForcibly();
      sleeper.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void ownership_withoutProc_isUnknown() throws Exception {
    try (ServerSocket s = TestPools.squat(TestPools.take(1).first())) {
      PortHolders none = new PortHolders(ProcessSockets.unavailable());

      assertThat(none.available()).isFalse();
      assertThat(none.ownership(s.getLocalPort(), ProcessHandle.current().pid()).kind())
          .isEqualTo(PortHolders.Ownership.Kind.UNKNOWN);
      assertThat(none.find(s.getLocalPort())).isEmpty();
    }
  }

  @Test
  void listenCheck_withoutProc_takesTheHostFromTheBinds_listenAddressUnknown_andStillRefusesAFreePort()
      throws Exception {
    ListenCheck check = new ListenCheck(new PortProbe(), new PortHolders(ProcessSockets.unavailable()));
    long me = ProcessHandle.current().pid();
    try (ServerSocket v6 = new ServerSocket()) {
      v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), TestPools.take(1).first()));
      assertThat(check.verify("ready", "main", v6.getLocalPort(), me))
          .isEqualTo(new ListenCheck.Listening("::1", ""));
    }
    try (ServerSocket v4 = TestPools.squat(TestPools.take(1).first())) {
      assertThat(check.verify("ready", "main", v4.getLocalPort(), me))
          .isEqualTo(new ListenCheck.Listening("127.0.0.1", ""));
    }
    int free = TestPools.take(1).first();
    assertThatThrownBy(() -> check.verify("ready", "main", free, me))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains("port " + free, "nothing listens");
        });
  }
}
