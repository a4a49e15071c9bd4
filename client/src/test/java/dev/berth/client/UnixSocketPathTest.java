package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * By name over a Unix socket (issue 11): every {@link BerthServer} also listens on
 * {@code <state dir>/sock/}, registered as {@code also_unix_path}; {@code berth.channel} prefers
 * it and falls back to the port. The servers run in child JVMs where users run them, and
 * answer with the kind of address they saw the call come from.
 */
class UnixSocketPathTest extends RegistryPerTest {
  private static final Duration STARTUP = Duration.ofSeconds(30);

  final List<ChildJvm> children = new ArrayList<>();

  @AfterEach // before RegistryPerTest closes the registry
  void stopChildren() throws InterruptedException {
    for (ChildJvm child : children) {
      child.close();
    }
  }

  /** A child serving {@code who}; returns its port and socket path. */
  private Served serve(String name) throws Exception {
    ChildJvm child = ChildJvm.start(PeerKindMain.class, "127.0.0.1:" + registry.port(), home.toString(), name);
    children.add(child);
    String[] line = child.awaitLine("serving", STARTUP).split(" ");
    assertThat(line[1]).as("the child's Unix socket").startsWith("unix:");
    return new Served(child, Integer.parseInt(line[0]), Path.of(line[1].substring("unix:".length())));
  }

  record Served(ChildJvm child, int port, Path socket) {}

  @Test
  void channel_callsAnInstanceInAnotherProcessOverItsUnixSocket() throws Exception {
    Served a = serve("a");
    ManagedChannel channel = berth.channel("who");

    assertThat(WhoService.call(channel)).isEqualTo("a over unix");
    assertThat(a.socket().getParent()).isEqualTo(home.resolve("sock"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.socket().getParent())))
        .isEqualTo("rwx------");
    // everyone else (resolve, tools, other users) sees the port
    assertThat(berth.resolve("who")).isEqualTo(Address.loopback(a.port()));
  }

  @Test
  void channel_whenTheSocketFileIsGone_callsOverThePort() throws Exception {
    Served a = serve("a");
    Files.delete(a.socket()); // the registry still names it; nothing is there to dial

    assertThat(WhoService.call(berth.channel("who"))).isEqualTo("a over tcp");
  }

  @Test
  void channel_whenTheSocketDoesNotAnswer_fallsBackToThePort() throws Exception {
    Served a = serve("a");
    Files.delete(a.socket());
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(a.socket())); // a socket of ours, closed below: refuses
    }
    assertThat(Files.exists(a.socket())).isTrue();

    assertThat(WhoService.call(berth.channel("who"))).isEqualTo("a over tcp");
  }

  @Test
  void channel_whenTheServerIsKilledAndRestarted_callsTheNewOneOverTheSameSocketPath() throws Exception {
    Served first = serve("a");
    ManagedChannel channel = berth.channel("who");
    assertThat(WhoService.call(channel)).isEqualTo("a over unix");

    first.child().kill(); // SIGKILL: the socket file stays behind, stale
    assertThat(Files.exists(first.socket())).isTrue();
    Served second = serve("b");

    assertThat(second.socket()).as("the stale socket's slot, reused").isEqualTo(first.socket());
    assertThat(second.port()).isEqualTo(first.port());
    Waits.until(Duration.ofSeconds(10), () -> "b over unix".equals(callOrNull(channel)),
        "calls reach the restarted instance over its socket");
  }

  @Test
  void channel_withTwoInstances_roundRobinsOverBothSockets() throws Exception {
    serve("a");
    serve("b");
    ManagedChannel channel = berth.channel("who");
    Waits.until(Duration.ofSeconds(5), () -> berth.resolveAll("who").size() == 2, "both live");

    Set<String> answers = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      answers.add(WhoService.call(channel));
    }
    assertThat(answers).containsExactlyInAnyOrder("a over unix", "b over unix");
  }

  private static String callOrNull(ManagedChannel channel) {
    try {
      return WhoService.call(channel);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
