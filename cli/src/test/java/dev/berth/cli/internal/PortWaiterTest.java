package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.client.Address;
import dev.berth.registry.internal.PortHolders;
import dev.berth.registry.internal.ProcessSockets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@code berth run} takes for "the child listens", with and without /proc. Real children. */
class PortWaiterTest {

  private Process child;
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stop() throws InterruptedException {
    if (child != null) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void await_childListeningOnIpv6Only_isListeningOnColonColonOne() throws Exception {
    int port = freePort();
    child = python6(port);

    PortWaiter.Result r = PortWaiter.await(child, port, Duration.ofSeconds(30), PortHolders.system(),
        new PrintWriter(err));

    assertThat(r.kind()).isEqualTo(PortWaiter.Kind.LISTENING);
    assertThat(r.address()).isEqualTo(Address.tcp("::1", port));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void await_withoutProc_fallsBackToConnectingAndSaysSoOnce() throws Exception {
    int port = freePort();
    child = python6(port);

    PortWaiter.Result r = PortWaiter.await(child, port, Duration.ofSeconds(30),
        new PortHolders(ProcessSockets.unavailable()), new PrintWriter(err));

    assertThat(r.kind()).isEqualTo(PortWaiter.Kind.LISTENING);
    assertThat(r.address()).isEqualTo(Address.tcp("::1", port));
    assertThat(err.toString().lines()).singleElement()
        .satisfies(l -> assertThat(l).contains("no /proc", "port " + port));
  }

  @Test
  void await_whenAnotherProcessHoldsThePortAndTheChildExits_isTakenNamingTheHolder()
      throws Exception {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = squatter.getLocalPort();
      child = new ProcessBuilder("python3", "-c", "import socket; s=socket.socket(); "
          + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', "
          + port + ")); s.listen()").start(); // fails: Address already in use

      PortWaiter.Result r = PortWaiter.await(child, port, Duration.ofSeconds(30),
          PortHolders.system(), new PrintWriter(err));

      assertThat(r.kind()).isEqualTo(PortWaiter.Kind.TAKEN);
      assertThat(r.holder()).hasValueSatisfying(
          h -> assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid()));
    }
  }

  private static Process python6(int port) throws Exception {
    return new ProcessBuilder("python3", "-c", "import socket, time; s=socket.socket(socket.AF_INET6); "
        + "s.bind(('::1', " + port + ")); s.listen(); time.sleep(60)").start();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
