package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.DoctorReport;
import dev.berth.proto.v1.Finding;
import dev.berth.proto.v1.RegistryInfo;
import dev.berth.local.StateDir;
import dev.berth.registry.internal.PortHolders;
import dev.berth.testing.ChildListener;
import dev.berth.testing.TestPools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth doctor} as users run it, on real listeners in child processes and real state
 * dirs: each trouble is found with its line and exit 1, nothing is said about a clean state dir
 * and a loopback instance, and nothing is changed. Asserts only on what each test started (the
 * machine is shared: other listeners are not ours).
 */
class DoctorIT {

  @TempDir
  Path temp;

  BerthJar berth;
  final List<AutoCloseable> children = new ArrayList<>();

  @BeforeEach
  void jar() throws IOException {
    berth = new BerthJar(temp);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : children) {
      c.close();
    }
    berth.close();
  }

  private ChildListener listen(String host, int port) throws Exception {
    ChildListener l = ChildListener.start(host, port);
    children.add(l);
    return l;
  }

  private DoctorReport json(BerthJar.Result r) throws IOException {
    DoctorReport.Builder report = DoctorReport.newBuilder();
    JsonFormat.parser().merge(r.out, report);
    return report.build();
  }

  private DoctorReport doctorJson(Map<String, String> env) throws Exception {
    BerthJar.Result r = berth.runJar(BerthJar.JAR, env, "doctor", "--json");
    assertThat(r.exitCode).as(r.toString()).isIn(0, 1);
    DoctorReport report = json(r);
    assertThat(r.exitCode).as(r.toString()).isEqualTo(report.getOk() ? 0 : 1);
    return report;
  }

  private static List<Finding> about(DoctorReport report, String check, int port) {
    return report.getFindingsList().stream()
        .filter(f -> f.getCheck().equals(check) && f.getPort() == port).toList();
  }

  /**
   * A JVM whose JDWP agent listens on {@code 0.0.0.0:agentPort}, running {@link TinyHttpServer}
   * on loopback {@code appPort}; its output goes to {@code out}. Killed in {@link #stop}.
   */
  private Process jdwpOnAWildcard(int agentPort, int appPort, Path out) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(BerthJar.java(),
        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=0.0.0.0:" + agentPort,
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", BerthJar.TEST_CLASSES.toString(), TinyHttpServer.class.getName())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
    builder.environment().put("PORT", Integer.toString(appPort));
    Process p = builder.start();
    children.add(() -> {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    });
    return p;
  }

  /** Until {@code p} itself listens on {@code port}, read in /proc: never a connect (a JDWP agent logs one). */
  private static void awaitListening(Process p, int port, Path out) throws Exception {
    PortHolders holders = PortHolders.system();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!holders.find(port).map(h -> h.pid() == p.pid()).orElse(false)) {
      assertThat(p.isAlive()).as("pid %d: %s", p.pid(), Files.readString(out)).isTrue();
      assertThat(System.nanoTime()).as("pid %d listens on %d: %s", p.pid(), port, Files.readString(out))
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void doctor_listenersOnAWildcardAndOnOneLoopback_eachGetsTheLineThisMachinesLocalhostCallsFor()
      throws Exception {
    // the JVM first: it takes a second to start, while the rest is set up
    int agentPort = TestPools.port();
    Path agentOut = temp.resolve("jdwp.out");
    Process agent = jdwpOnAWildcard(agentPort, TestPools.port(), agentOut);
    ChildListener open = listen("0.0.0.0", 0);
    ChildListener v4 = listen("127.0.0.1", 0);
    ChildListener v6;
    try {
      v6 = listen("::1", 0);
    } catch (IOException e) {
      assumeTrue(false, "no IPv6 loopback here: " + e.getMessage());
      return;
    }
    List<String> localhost = localhostOrder();
    String gaiFirst = localhost.get(0);
    String javaFirst = localhost.stream().filter(a -> !a.contains(":")).findFirst().orElse(gaiFirst);
    awaitListening(agent, agentPort, agentOut);

    BerthJar.Result text = berth.run("doctor");
    DoctorReport report = doctorJson(Map.of());

    assertThat(text.exitCode).as(text.toString()).isEqualTo(1);
    assertThat(report.getOk()).isFalse();
    assertThat(report.getLocalhostList()).as("getaddrinfo's order").isEqualTo(localhost);
    Finding exposed = about(report, "exposed", open.port()).stream().findFirst().orElseThrow();
    assertThat(exposed.getSeverity()).isEqualTo(Finding.Severity.PROBLEM);
    assertThat(exposed.getPid()).isEqualTo(open.pid());
    assertThat(exposed.getCommandLine()).contains("python3 -c import socket").endsWith(" 0.0.0.0 0");
    assertThat(exposed.getMessage()).startsWith("pid " + open.pid() + " (")
        .endsWith(") listens on 0.0.0.0:" + open.port() + ", reachable from other machines");
    assertThat(exposed.getFix()).startsWith("bind 127.0.0.1");
    assertThat(text.out.lines()).contains("problem: " + exposed.getMessage() + ": fix: " + exposed.getFix());

    // a client that takes localhost's first address: refused where that is the other loopback
    List<Finding> v4Only = about(report, "localhost", v4.port());
    if (gaiFirst.equals("127.0.0.1") && javaFirst.equals("127.0.0.1")) {
      assertThat(v4Only).as("localhost is %s here", localhost).isEmpty();
    } else {
      assertThat(v4Only).singleElement().satisfies(f -> {
        assertThat(f.getSeverity()).isEqualTo(Finding.Severity.PROBLEM);
        assertThat(f.getPid()).isEqualTo(v4.pid());
        assertThat(f.getMessage()).contains("listens on 127.0.0.1:" + v4.port() + " only: localhost:"
            + v4.port() + " is refused for clients in getaddrinfo order");
        assertThat(f.getFix()).startsWith("listen on ::1 too");
      });
    }
    List<Finding> v6Only = about(report, "localhost", v6.port());
    if (gaiFirst.equals("::1") && javaFirst.equals("::1")) {
      assertThat(v6Only).as("localhost is %s here", localhost).isEmpty();
    } else {
      assertThat(v6Only).singleElement().satisfies(f -> {
        assertThat(f.getSeverity()).isEqualTo(Finding.Severity.PROBLEM);
        assertThat(f.getPid()).isEqualTo(v6.pid());
        assertThat(f.getMessage()).contains("listens on [::1]:" + v6.port() + " only: localhost:"
            + v6.port() + " is refused for ");
        if (javaFirst.equals("127.0.0.1")) {
          assertThat(f.getMessage()).contains("Java clients (127.0.0.1 first)");
        }
        assertThat(f.getFix()).startsWith("listen on 127.0.0.1 too");
        assertThat(text.out.lines()).contains("problem: " + f.getMessage() + ": fix: " + f.getFix());
      });
    }
    assertThat(about(report, "exposed", v4.port())).isEmpty();
    assertThat(about(report, "exposed", v6.port())).isEmpty();

    // a JDWP agent on 0.0.0.0: named as one, with its own fix; and never connected to
    assertThat(about(report, "exposed", agentPort)).singleElement().satisfies(f -> {
      assertThat(f.getSeverity()).isEqualTo(Finding.Severity.PROBLEM);
      assertThat(f.getPid()).isEqualTo(agent.pid());
      assertThat(f.getCommandLine()).contains("-agentlib:jdwp=");
      assertThat(f.getMessage()).startsWith("pid " + agent.pid() + " (").endsWith(") has its Java debug agent (JDWP) on 0.0.0.0:"
          + agentPort + ": anyone who can reach this machine can run code as you through it");
      assertThat(f.getFix()).startsWith("give the agent address=127.0.0.1:" + agentPort + " (")
          .endsWith("; or start it with berth run --debug, which does and keeps the port");
      assertThat(text.out.lines()).contains("problem: " + f.getMessage() + ": fix: " + f.getFix());
    });
    assertThat(Files.readString(agentOut)).doesNotContain("handshake failed");
  }

  @Test
  void doctor_foreignProcessOnARememberedBerth_isASquatter_fromTheFileAndFromTheRegistry() throws Exception {
    int port = berth.pool().first() + 7;
    Files.writeString(berth.home().resolve("berths.json"),
        "{\"berths\": [{\"service\": \"web\", \"endpoint\": \"http\", \"ports\": [" + port + "]}]}");
    ChildListener squatter = listen("127.0.0.1", port);

    DoctorReport withoutRegistry = doctorJson(Map.of());
    berth.startRegistry();
    DoctorReport withRegistry = doctorJson(Map.of());

    assertThat(withRegistry.getRegistryRunning()).isTrue();
    for (DoctorReport report : List.of(withoutRegistry, withRegistry)) {
      assertThat(report.getOk()).isFalse();
      assertThat(about(report, "squatter", port)).singleElement().satisfies(f -> {
        assertThat(f.getSeverity()).isEqualTo(Finding.Severity.PROBLEM);
        assertThat(f.getBerth()).isEqualTo("web/http");
        assertThat(f.getPid()).isEqualTo(squatter.pid());
        assertThat(f.getCommandLine()).contains("python3 -c import socket");
        assertThat(f.getMessage()).startsWith("port " + port + ", remembered for web/http, is held by pid "
            + squatter.pid() + " (").endsWith(") outside Berth: web/http gets another port next time it starts");
        assertThat(f.getFix()).startsWith("stop pid " + squatter.pid() + " (kill " + squatter.pid() + ")");
      });
    }
  }

  @Test
  void doctor_stateDirWritableByOthers_saysChmod700_andLeavesTheModeAsItWas() throws Exception {
    Path home = berth.home();
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));

    BerthJar.Result text = berth.run("doctor");
    DoctorReport report = doctorJson(Map.of());

    assertThat(text.exitCode).as(text.toString()).isEqualTo(1);
    Finding f = report.getFindingsList().stream().filter(x -> x.getCheck().equals("state-dir"))
        .findFirst().orElseThrow(() -> new AssertionError(text));
    assertThat(f.getSeverity()).isEqualTo(Finding.Severity.PROBLEM);
    assertThat(f.getMessage()).startsWith("state dir " + home + " is writable by others").contains("mode 0777");
    assertThat(f.getFix()).isEqualTo("chmod 700 " + home);
    assertThat(f.getPath()).isEqualTo(home.toString());
    assertThat(text.out.lines()).contains("problem: " + f.getMessage() + ": fix: chmod 700 " + home);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwxrwxrwx");
  }

  @Test
  void doctor_registryKilled_registryJsonIsStale_andStays() throws Exception {
    BerthJar.Started registry = berth.start("registry", "--port", "0");
    registry.awaitLine("listening on", Duration.ofSeconds(30));
    RegistryInfo info = StateDir.of(berth.home()).readRegistryInfo().orElseThrow();
    registry.process.destroyForcibly(); // kill -9: registry.json stays behind
    assertThat(registry.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

    BerthJar.Result text = berth.run("doctor");
    DoctorReport report = doctorJson(Map.of());

    Path file = berth.home().resolve("registry.json");
    assertThat(text.exitCode).as(text.toString()).isEqualTo(1);
    assertThat(report.getRegistryRunning()).isFalse();
    Finding f = report.getFindingsList().stream().filter(x -> x.getCheck().equals("registry-json"))
        .findFirst().orElseThrow(() -> new AssertionError(text));
    assertThat(f.getSeverity()).isEqualTo(Finding.Severity.PROBLEM);
    assertThat(f.getMessage()).startsWith(file + " names a registry at " + info.getAddress() + " (pid "
        + info.getPid() + ") that is gone");
    assertThat(f.getFix()).isEqualTo("berth registry start replaces it; or remove it: rm " + file);
    assertThat(file).exists();
  }

  @Test
  void doctor_berthsJsonNotJson_saysSo_andLeavesTheFileWhereItIs() throws Exception {
    Path file = berth.home().resolve("berths.json");
    Files.writeString(file, "{not json", StandardCharsets.UTF_8);

    BerthJar.Result text = berth.run("doctor");
    DoctorReport report = doctorJson(Map.of());

    assertThat(text.exitCode).as(text.toString()).isEqualTo(1);
    Finding f = report.getFindingsList().stream().filter(x -> x.getCheck().equals("berths-json"))
        .findFirst().orElseThrow(() -> new AssertionError(text));
    assertThat(f.getSeverity()).isEqualTo(Finding.Severity.PROBLEM);
    assertThat(f.getMessage()).startsWith(file + " cannot be read (");
    assertThat(f.getPath()).isEqualTo(file.toString());
    assertThat(Files.readString(file)).isEqualTo("{not json");
    try (Stream<Path> files = Files.list(berth.home())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("berths.json");
    }
  }

  @Test
  void doctor_poolInsideTheEphemeralRange_isFound_fromBerthPortsAndFromTheRunningRegistry() throws Exception {
    List<String> range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
    String[] ends = String.join(" ", range).trim().split("\\s+");
    int first = Integer.parseInt(ends[0]);
    int last = Integer.parseInt(ends[1]);
    // a pool of our own inside the range, clear of the default pool and of TestPools' ports
    int from = Math.max(first, 40000);
    assumeTrue(from + 63 <= Math.min(last, 60999), "no room inside the ephemeral range " + first + "-" + last);
    String pool = from + "-" + (from + 63);

    DoctorReport fromEnv = doctorJson(Map.of("BERTH_PORTS", pool));
    BerthJar.Started registry = berth.start("registry", "--port", "0", "--ports", pool);
    registry.awaitLine("listening on", Duration.ofSeconds(30));
    DoctorReport fromRegistry = doctorJson(Map.of());

    for (DoctorReport report : List.of(fromEnv, fromRegistry)) {
      assertThat(report.getOk()).isFalse();
      Finding f = report.getFindingsList().stream().filter(x -> x.getCheck().equals("ephemeral"))
          .findFirst().orElseThrow(() -> new AssertionError(report));
      assertThat(f.getSeverity()).isEqualTo(Finding.Severity.PROBLEM);
      assertThat(f.getMessage()).contains(", " + pool + ", overlaps the kernel's ephemeral range "
          + first + "-" + last).contains(" at " + pool + ":");
    }
    assertThat(fromEnv.getFindingsList()).anyMatch(f -> f.getMessage().startsWith("the pool in $BERTH_PORTS, "));
    assertThat(fromRegistry.getFindingsList()).anyMatch(f -> f.getMessage().startsWith("the running registry's pool, "));
  }

  @Test
  void doctor_cleanStateDirAndRegistryWithALoopbackInstance_saysNothingAboutThem() throws Exception {
    berth.startRegistry();
    BerthJar.Started run = berth.start("run", "web", "--",
        "sh", "-c", "exec python3 -m http.server \"$PORT\" --bind 127.0.0.1");
    run.awaitLine("live on", Duration.ofSeconds(30));
    RegistryInfo info = StateDir.of(berth.home()).readRegistryInfo().orElseThrow();
    int webPort = Integer.parseInt(berth.run("resolve", "web").out.strip().replaceAll(".*:", ""));
    ProcessHandle server = run.process.children().findFirst().orElseThrow();

    DoctorReport report = doctorJson(Map.of());

    assertThat(report.getRegistryRunning()).isTrue();
    assertThat(report.getStateDir()).isEqualTo(berth.home().toString());
    Set<Integer> ours = Set.of(webPort, port(info.getAddress()), port(info.getHttpAddress()));
    Set<Long> pids = Set.of(info.getPid(), run.process.pid(), server.pid());
    assertThat(report.getFindingsList())
        .noneMatch(f -> ours.contains(f.getPort()))
        .noneMatch(f -> pids.contains(f.getPid()))
        .noneMatch(f -> !f.getPath().isEmpty() && Path.of(f.getPath()).startsWith(berth.home()))
        .noneMatch(f -> Set.of("state-dir", "token", "registry", "registry-json", "berths-json", "ephemeral")
            .contains(f.getCheck()));
  }

  private static int port(String address) {
    return address.isEmpty() ? -1 : Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  /** localhost in getaddrinfo's order: getent where it exists, else /etc/hosts. */
  private static List<String> localhostOrder() throws Exception {
    List<String> out = new ArrayList<>();
    try {
      Process p = new ProcessBuilder("getent", "ahosts", "localhost").start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
      for (String line : text.split("\n")) {
        String a = line.trim().split("\\s+")[0];
        if (!a.isEmpty() && !out.contains(a)) {
          out.add(a);
        }
      }
    } catch (IOException e) {
      for (String line : Files.readAllLines(Path.of("/etc/hosts"))) {
        String[] f = line.replaceAll("#.*", "").trim().split("\\s+");
        if (f.length > 1 && List.of(f).subList(1, f.length).contains("localhost") && !out.contains(f[0])) {
          out.add(f[0]);
        }
      }
    }
    assumeTrue(!out.isEmpty(), "localhost resolves to nothing here");
    return out;
  }
}
