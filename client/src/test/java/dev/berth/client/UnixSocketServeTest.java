package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * The server side of the Unix socket path, in this JVM: which slot a {@link BerthServer} takes
 * in {@code <state dir>/sock/}, what it never removes, and how to turn the path off.
 */
class UnixSocketServeTest extends RegistryPerTest {

  private BerthServer serveWho(Berth through) throws Exception {
    return through.serve("who").addService(PeerKind.service("a")).intercept(PeerKind.interceptor()).start();
  }

  @Test
  void serve_listensInTheStateDirsSocketDir_andCloseRemovesTheSocket() throws Exception {
    BerthServer server = serveWho(berth);
    Path socket = server.unixAddress().orElseThrow().path();
    assertThat(socket).isEqualTo(home.resolve("sock").resolve("who.main.0.sock"));
    assertThat(WhoService.call(berth.channel("who"))).isEqualTo("a over unix");

    server.close();

    assertThat(Files.exists(socket)).isFalse();
    assertThat(berth.resolveAll("who")).isEmpty();
  }

  @Test
  void serve_whenSlotsHoldWhatIsNotItsOwnSocket_leavesThemAndTakesTheNext() throws Exception {
    Path dir = Files.createDirectory(home.resolve("sock"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path file = Files.writeString(dir.resolve("who.main.0.sock"), "not a socket");
    Path target = Files.writeString(home.resolve("precious.txt"), "keep me");
    Path link = Files.createSymbolicLink(dir.resolve("who.main.1.sock"), target);

    BerthServer server = serveWho(berth);

    assertThat(server.unixAddress().orElseThrow().path()).isEqualTo(dir.resolve("who.main.2.sock"));
    assertThat(Files.readString(file)).isEqualTo("not a socket");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(target)).isEqualTo("keep me");
    server.close();
    assertThat(Files.readString(file)).isEqualTo("not a socket");
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  @Test
  void serve_twoServersOfOneProcess_takeTwoSlots() throws Exception {
    try (BerthServer first = serveWho(berth); BerthServer second = serveWho(berth)) {
      assertThat(first.unixAddress().orElseThrow()).isNotEqualTo(second.unixAddress().orElseThrow());
    }
  }

  @Test
  void serve_whenTheSocketDirIsOpenToOthers_servesTcpOnly() throws Exception {
    Files.createDirectory(home.resolve("sock"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

    try (BerthServer server = serveWho(berth)) {
      assertThat(server.unixAddress()).isEmpty();
      assertThat(WhoService.call(berth.channel("who"))).isEqualTo("a over tcp");
    }
  }

  @Test
  void unixSocketsOff_servesAndCallsOverTcpOnly() throws Exception {
    try (Berth tcpOnly = Berth.builder().registry("127.0.0.1:" + registry.port())
        .stateDir(registry.stateDir()).unixSockets(false).build()) {
      BerthServer server = serveWho(tcpOnly);
      assertThat(server.unixAddress()).isEmpty();
      assertThat(Files.exists(home.resolve("sock"))).isFalse();
      assertThat(WhoService.call(tcpOnly.channel("who"))).isEqualTo("a over tcp");
    }
    // and a channel that may not dial sockets calls a server that has one over its port
    try (BerthServer server = serveWho(berth);
        Berth tcpOnly = Berth.builder().registry("127.0.0.1:" + registry.port())
            .stateDir(registry.stateDir()).unixSockets(false).build()) {
      assertThat(server.unixAddress()).isPresent();
      ManagedChannel channel = tcpOnly.channel("who");
      assertThat(WhoService.call(channel)).isEqualTo("a over tcp");
    }
  }

  @Test
  void unixSocketsByDefault_isOnUnlessThePropertyOrElseTheVariableSaysOff() {
    assertThat(Berth.Builder.unixSocketsByDefault(null, null)).isTrue();
    assertThat(Berth.Builder.unixSocketsByDefault("false", null)).isFalse();
    assertThat(Berth.Builder.unixSocketsByDefault("true", "off")).isTrue();
    assertThat(Berth.Builder.unixSocketsByDefault(null, "off")).isFalse();
    assertThat(Berth.Builder.unixSocketsByDefault(null, "0")).isFalse();
    assertThat(Berth.Builder.unixSocketsByDefault(null, "FALSE")).isFalse();
    assertThat(Berth.Builder.unixSocketsByDefault("off", null)).as("the property takes the words the variable takes").isFalse();
    assertThat(Berth.Builder.unixSocketsByDefault(" 0 ", "1")).isFalse();
    assertThat(Berth.Builder.unixSocketsByDefault(null, "1")).isTrue();
  }
}
