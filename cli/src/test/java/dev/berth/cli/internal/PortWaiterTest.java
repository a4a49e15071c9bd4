package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.Address;
import dev.berth.registry.internal.PortHolders;
import dev.berth.registry.internal.ProcessSockets;
import dev.berth.testing.JdwpHandshake;
import dev.berth.testing.TestPools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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

  @Test
  void awaitAll_listeningOnlyWhenEveryPortIs_eachAddressInOrder() throws Exception {
    int http = freePort();
    int admin = freePort();
    // the second port half a second after the first
    child = python4(http + ", " + admin, 0.5);

    PortWaiter.Waited w = PortWaiter.awaitAll(child, ports("http", http, "admin", admin),
        Duration.ofSeconds(30), PortHolders.system(), new PrintWriter(err));

    assertThat(w.result().kind()).isEqualTo(PortWaiter.Kind.LISTENING);
    assertThat(w.addresses()).containsExactly(Map.entry("http", Address.loopback(http)),
        Map.entry("admin", Address.loopback(admin)));
    assertThat(w.first()).isEqualTo(Address.loopback(http));
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void awaitAll_whenTheSecondPortIsNeverListenedOn_timesOutNamingIt() throws Exception {
    int http = freePort();
    int admin = freePort();
    child = python4(Integer.toString(http), 0);

    PortWaiter.Waited w = PortWaiter.awaitAll(child, ports("http", http, "admin", admin),
        Duration.ofSeconds(2), PortHolders.system(), new PrintWriter(err));

    assertThat(w.result().kind()).isEqualTo(PortWaiter.Kind.TIMED_OUT);
    assertThat(w.endpoint()).isEqualTo("admin");
    assertThat(w.addresses()).containsOnlyKeys("http");
    assertThat(w.first()).isNull();
  }

  @Test
  void awaitAll_whenTheProgramFailsOnALaterPortAnotherProcessHolds_isThatPortTaken() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int http = freePort();
      int admin = squatter.getLocalPort();
      // binds admin first, fails there ("Address already in use") and exits, never on http
      child = python4(admin + ", " + http, 0);

      PortWaiter.Waited w = PortWaiter.awaitAll(child, ports("http", http, "admin", admin),
          Duration.ofSeconds(30), PortHolders.system(), new PrintWriter(err));

      assertThat(w.result().kind()).isEqualTo(PortWaiter.Kind.TAKEN);
      assertThat(w.endpoint()).isEqualTo("admin");
      assertThat(w.result().holder()).hasValueSatisfying(
          h -> assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid()));
    }
  }

  @Test
  void awaitAll_withoutProc_neverConnectsToTheDebugEndpoint_andTrustsItOnceTheOthersAnswer()
      throws Exception {
    int http = freePort();
    child = python4(Integer.toString(http), 0);
    // stands in for a JDWP agent, which logs "handshake failed" for every connect but a debugger's
    try (ServerSocket agent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      agent.setSoTimeout(300);
      int debug = agent.getLocalPort();

      PortWaiter.Waited w = PortWaiter.awaitAll(child, ports("http", http, "debug", debug),
          Duration.ofSeconds(30), new PortHolders(ProcessSockets.unavailable()), new PrintWriter(err));

      assertThat(w.result().kind()).isEqualTo(PortWaiter.Kind.LISTENING);
      assertThat(w.addresses()).containsExactly(Map.entry("http", Address.loopback(http)),
          Map.entry("debug", Address.loopback(debug)));
      assertThatThrownBy(agent::accept).as("a connect to the debug port").isInstanceOf(SocketTimeoutException.class);
      assertThat(err.toString().lines()).anySatisfy(l -> assertThat(l)
          .contains("port " + debug + " (the debugger's)", "no /proc", "nothing but a debugger may connect"));
    }
  }

  @Test
  void awaitAll_withoutProc_childGoneBeforeTheDebugEndpointIsTrusted_isExited() throws Exception {
    child = new ProcessBuilder("sh", "-c", "exit 0").start();
    child.waitFor(10, TimeUnit.SECONDS);

    PortWaiter.Waited w = PortWaiter.awaitAll(child, ports("debug", freePort()),
        Duration.ofSeconds(5), new PortHolders(ProcessSockets.unavailable()), new PrintWriter(err));

    assertThat(w.result().kind()).isEqualTo(PortWaiter.Kind.EXITED);
    assertThat(w.endpoint()).isEqualTo("debug");
  }

  @Test
  void awaitAll_withADebuggerAttachedBeforeTheAppListens_isListeningOnBoth() throws Exception {
    int debug = TestPools.port();
    int http = TestPools.port();
    Path go = Files.createTempDirectory("i13-portwaiter").resolve("go");
    try {
      // a real JVM with its JDWP agent; its own port only once the test says so
      child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + debug,
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
          "-cp", System.getProperty("java.class.path"), ListensWhenTold.class.getName(),
          Integer.toString(http), go.toString())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String line = new BufferedReader(new InputStreamReader(child.getInputStream(),
          StandardCharsets.UTF_8)).readLine(); // bounded: printed before main, or the JVM exits
      assertThat(line).isNotNull().contains("Listening for transport dt_socket at address: " + debug);
      // a debugger attaches as soon as the agent listens; the agent then stops listening
      try (Socket debugger = JdwpHandshake.hold("127.0.0.1", debug, Duration.ofSeconds(10))) {
        ProcessSockets sockets = ProcessSockets.system();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!sockets.listeners(debug).isEmpty()) {
          assertThat(System.nanoTime()).as("the agent stops listening").isLessThan(deadline);
          Thread.sleep(20);
        }
        Files.createFile(go); // now the app listens on its own port

        PortWaiter.Waited w = PortWaiter.awaitAll(child, ports("debug", debug, "http", http),
            Duration.ofSeconds(10), PortHolders.system(), new PrintWriter(err));

        assertThat(w.result().kind()).as("waited for %s", w.endpoint())
            .isEqualTo(PortWaiter.Kind.LISTENING);
        assertThat(w.addresses()).containsExactly(Map.entry("debug", Address.loopback(debug)),
            Map.entry("http", Address.loopback(http)));
        assertThat(err.toString()).isEmpty();
      }
    } finally {
      Files.deleteIfExists(go);
      Files.deleteIfExists(go.getParent());
    }
  }

  /** The debugged program: listens on 127.0.0.1:{@code args[0]} once file {@code args[1]} exists. */
  public static final class ListensWhenTold {
    public static void main(String[] args) throws Exception {
      Path go = Path.of(args[1]);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(go) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      try (ServerSocket s = new ServerSocket(Integer.parseInt(args[0]), 50,
          InetAddress.getLoopbackAddress())) {
        Thread.sleep(TimeUnit.SECONDS.toMillis(60));
      }
    }
  }

  private static Map<String, Integer> ports(Object... endpointsAndPorts) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (int i = 0; i < endpointsAndPorts.length; i += 2) {
      ports.put((String) endpointsAndPorts[i], (Integer) endpointsAndPorts[i + 1]);
    }
    return ports;
  }

  /** Listens on 127.0.0.1 at each of {@code ports} ("7001, 7002"), {@code gap} seconds apart. */
  private static Process python4(String ports, double gap) throws Exception {
    return new ProcessBuilder("python3", "-c", "import socket, time\n"
        + "held = []\n"
        + "for p in [" + ports + "]:\n"
        + "    s = socket.socket(); s.bind(('127.0.0.1', p)); s.listen(); held.append(s); time.sleep(" + gap + ")\n"
        + "time.sleep(60)\n").start();
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
