package dev.berth.cli.internal.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.internal.ListenerKinds;
import dev.berth.proto.v1.DoctorReport;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Finding;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.RegistryInfo;
import dev.berth.proto.v1.StickyBerth;
import dev.berth.registry.internal.BerthsFile;
import dev.berth.registry.internal.PortPool;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure checks on hand-made facts: which line each situation calls for, and which it does not. */
class ChecksTest {

  static final int ME = 1000;
  static final int OTHER = 1001;

  @TempDir
  Path home;

  static Listening at(String address, int port, int uid, long pid, String commandLine) throws Exception {
    return new Listening(InetAddress.getByName(address), port, uid, pid, commandLine);
  }

  /** A listener classified as doctor does, from its command line and environment, on its port. */
  Listening kinded(String address, int port, long pid, String commandLine, Map<String, String> env) throws Exception {
    return new Listening(InetAddress.getByName(address), port, ME, pid, commandLine,
        ListenerKinds.of(commandLine, env, pid, port, home));
  }

  RegistryFacts noRegistry(List<StickyBerth> berths, Optional<PortPool> pool) {
    return new RegistryFacts(home, false, Optional.empty(), "", "", "", false, List.of(), berths, false,
        new BerthsFile.Peek(berths, List.of(), Optional.empty()), pool, "the pool in $BERTH_PORTS");
  }

  RegistryFacts registry(List<Instance> instances, List<StickyBerth> berths, long pid) {
    return new RegistryFacts(home, true, Optional.of(RegistryInfo.newBuilder().setAddress("127.0.0.1:7201")
            .setPid(pid).build()), "", "", "", true, instances, berths, true,
        new BerthsFile.Peek(List.of(), List.of(), Optional.empty()), Optional.of(PortPool.of(7300, 7399)),
        "the running registry's pool");
  }

  static Facts facts(List<Listening> listeners, List<String> localhost, RegistryFacts registry) {
    return new Facts(true, listeners, ME, localhost, "getent ahosts localhost",
        Optional.of(PortPool.of(32768, 60999)), registry);
  }

  static List<Finding> run(Check check, Facts facts) {
    List<Finding> out = new ArrayList<>();
    check.run(facts, out);
    return out;
  }

  static Instance web(int port, long pid) {
    return Instance.newBuilder().setService("web").setInstanceId("web-1").setPid(pid)
        .addEndpoints(Endpoint.newBuilder().setName("http").setHost("127.0.0.1").setPort(port)).build();
  }

  @Test
  void localhost_ipv4OnlyServer_isAProblemOnlyWhereLocalhostIsIpv6First() throws Exception {
    List<Listening> v4 = List.of(at("127.0.0.1", 7210, ME, 42, "python3 app.py"));

    List<Finding> v6First = run(new LocalhostCheck(), facts(v4, List.of("::1", "127.0.0.1"), noRegistry(List.of(), Optional.empty())));
    List<Finding> v4First = run(new LocalhostCheck(), facts(v4, List.of("127.0.0.1", "::1"), noRegistry(List.of(), Optional.empty())));

    assertThat(v6First).singleElement().satisfies(f -> {
      assertThat(f.getSeverity()).isEqualTo(Finding.Severity.PROBLEM);
      assertThat(f.getMessage()).isEqualTo("pid 42 (python3 app.py) listens on 127.0.0.1:7210 only: localhost:7210"
          + " is refused for clients in getaddrinfo order (Node 17+, Python, curl, Go: ::1 first here,"
          + " getent ahosts localhost)");
      assertThat(f.getFix()).isEqualTo("listen on ::1 too (or on both loopbacks), or have clients call"
          + " 127.0.0.1:7210 instead of localhost");
    });
    assertThat(v4First).isEmpty();
  }

  @Test
  void localhost_ipv6OnlyServer_isRefusedForJavaWheneverLocalhostHasIpv4() throws Exception {
    List<Listening> v6 = List.of(at("::1", 7211, ME, 43, "node server.js"));

    List<Finding> v6First = run(new LocalhostCheck(), facts(v6, List.of("::1", "127.0.0.1"), noRegistry(List.of(), Optional.empty())));
    List<Finding> v6Only = run(new LocalhostCheck(), facts(v6, List.of("::1"), noRegistry(List.of(), Optional.empty())));

    assertThat(v6First).singleElement().extracting(Finding::getMessage).isEqualTo(
        "pid 43 (node server.js) listens on [::1]:7211 only: localhost:7211 is refused for Java clients (127.0.0.1 first)");
    assertThat(v6Only).isEmpty();
  }

  @Test
  void localhost_bothLoopbacks_aWildcard_anotherUsers_orABerthInstance_saysNothing() throws Exception {
    List<String> v6First = List.of("::1", "127.0.0.1");
    List<Listening> listeners = List.of(
        at("127.0.0.1", 7220, ME, 50, "both"), at("::1", 7220, ME, 50, "both"),
        at("0.0.0.0", 7221, ME, 51, "wildcard"),
        at("127.0.0.1", 7222, OTHER, 52, "theirs"),
        at("127.0.0.1", 7223, ME, 53, "berth instance"),
        at("127.0.0.1", 7201, ME, 54, "the registry"));

    List<Finding> found = run(new LocalhostCheck(),
        facts(listeners, v6First, registry(List.of(web(7223, 53)), List.of(), 54)));

    assertThat(found).isEmpty();
  }

  @Test
  void exposed_berthInstanceFirst_thenMine_andAnotherUsersIsANote() throws Exception {
    List<Listening> listeners = List.of(
        at("0.0.0.0", 7230, OTHER, 60, "sshd"),
        at("0.0.0.0", 7231, ME, 61, "python3 -m http.server 7231"),
        at("::", 7231, ME, 61, "python3 -m http.server 7231"),
        at("0.0.0.0", 7232, ME, 62, "java -jar web.jar"));
    Facts facts = facts(listeners, List.of("127.0.0.1"), registry(List.of(web(7232, 62)), List.of(), 99));

    DoctorReport report = Doctor.report(facts);
    List<Finding> exposed = report.getFindingsList().stream().filter(f -> f.getCheck().equals("exposed")).toList();

    assertThat(exposed).extracting(Finding::getPort).containsExactly(7232, 7231, 7230);
    assertThat(exposed.get(0).getMessage()).isEqualTo("web/http (instance web-1, pid 62 (java -jar web.jar))"
        + " listens on 0.0.0.0:7232, reachable from other machines");
    assertThat(exposed.get(0).getBerth()).isEqualTo("web/http");
    assertThat(exposed.get(1).getMessage()).isEqualTo("pid 61 (python3 -m http.server 7231) listens on"
        + " 0.0.0.0:7231 and [::]:7231, reachable from other machines");
    assertThat(exposed.get(1).getFix()).startsWith("bind 127.0.0.1: add --bind 127.0.0.1 (python3 -m http.server 7231 --bind 127.0.0.1)");
    assertThat(exposed.get(2).getSeverity()).isEqualTo(Finding.Severity.NOTE);
    assertThat(exposed.get(2).getMessage()).endsWith("another user's, not yours to fix");
    assertThat(report.getOk()).isFalse();
  }

  static final String JDWP = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=";

  @Test
  void exposed_debugAgentOnAWildcard_isItsOwnProblem_anyoneCanRunCodeThroughIt() throws Exception {
    List<Listening> listeners = List.of(
        kinded("0.0.0.0", 7260, 90, "java " + JDWP + "0.0.0.0:7260 -jar app.jar", Map.of()),
        // from JAVA_TOOL_OPTIONS, which the command line does not show: the agent, not a Spring Boot hint
        kinded("::", 7261, 91, "java -jar app.jar", Map.of("JAVA_TOOL_OPTIONS", JDWP + "*:7261")),
        kinded("0.0.0.0", 7262, 92, "node --inspect=0.0.0.0:7262 server.js", Map.of()));

    List<Finding> found = run(new ExposedCheck(), facts(listeners, List.of("127.0.0.1"), noRegistry(List.of(), Optional.empty())));

    assertThat(found).extracting(Finding::getSeverity).containsOnly(Finding.Severity.PROBLEM);
    assertThat(found).extracting(Finding::getMessage).containsExactly(
        "pid 90 (java " + JDWP + "0.0.0.0:7260 -jar app.jar) has its Java debug agent (JDWP) on 0.0.0.0:7260:"
            + " anyone who can reach this machine can run code as you through it",
        "pid 91 (java -jar app.jar) has its Java debug agent (JDWP) on [::]:7261:"
            + " anyone who can reach this machine can run code as you through it",
        "pid 92 (node --inspect=0.0.0.0:7262 server.js) has its Node inspector on 0.0.0.0:7262:"
            + " anyone who can reach this machine can run code as you through it");
    assertThat(found.get(0).getFix()).isEqualTo("give the agent address=127.0.0.1:7260"
        + " (" + JDWP + "127.0.0.1:7260), not *:7260 or 0.0.0.0:7260;"
        + " or start it with berth run --debug, which does and keeps the port");
    assertThat(found.get(1).getFix()).startsWith("give the agent address=127.0.0.1:7261").doesNotContain("Spring");
    assertThat(found.get(2).getFix()).isEqualTo("use --inspect=127.0.0.1:7262, not --inspect=0.0.0.0:7262;"
        + " or start it with berth run --debug, which does and keeps the port");
  }

  @Test
  void exposed_applicationPortOfAProcessWithAnAgentElsewhere_getsTheApplicationsHint_notTheAgents() throws Exception {
    List<Listening> listeners = List.of(
        kinded("127.0.0.1", 5005, 93, "java " + JDWP + "127.0.0.1:5005 -jar app.jar", Map.of()),
        kinded("0.0.0.0", 7263, 93, "java " + JDWP + "127.0.0.1:5005 -jar app.jar", Map.of()),
        kinded("0.0.0.0", 7264, 94, "node --inspect=127.0.0.1:9229 server.js", Map.of()));

    List<Finding> found = run(new ExposedCheck(), facts(listeners, List.of("127.0.0.1"), noRegistry(List.of(), Optional.empty())));

    assertThat(found).extracting(Finding::getPort).containsExactly(7263, 7264);
    assertThat(found.get(0).getMessage()).endsWith(" listens on 0.0.0.0:7263, reachable from other machines");
    assertThat(found.get(0).getFix()).startsWith("bind 127.0.0.1: Spring Boot: -Dserver.address=127.0.0.1;")
        .doesNotContain("address=127.0.0.1:7263");
    assertThat(found.get(1).getFix()).startsWith("bind 127.0.0.1: listen(7264, '127.0.0.1');")
        .doesNotContain("--inspect");
  }

  @Test
  void exposed_wildcardOfAProcessWhoseAgentChoseItsOwnPort_saysBothFixes_namingThePort() throws Exception {
    List<Finding> found = run(new ExposedCheck(), facts(List.of(
            kinded("0.0.0.0", 7265, 99, "java -agentlib:jdwp=transport=dt_socket,server=y -jar app.jar", Map.of())),
        List.of("127.0.0.1"), noRegistry(List.of(), Optional.empty())));

    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.getMessage()).endsWith(" listens on 0.0.0.0:7265, reachable from other machines");
      assertThat(f.getFix()).isEqualTo("if it is the JDWP agent, give it address=127.0.0.1:7265 (berth run --debug"
          + " does): whoever reaches it can run code as you; else bind 127.0.0.1: Spring Boot: -Dserver.address=127.0.0.1;"
          + " Quarkus: -Dquarkus.http.host=127.0.0.1; a plain ServerSocket: bind InetAddress.getLoopbackAddress();"
          + " unless other machines are meant to reach it");
    });
  }

  @Test
  void localhost_debugAgentsAndEveryBerthRegistry_areExempt_inEitherOrder_theAgentsApplicationIsNot() throws Exception {
    Path other = home.resolve("other-state-dir");
    String agentJvm = "java " + JDWP + "127.0.0.1:7270 -jar app.jar";
    List<Listening> listeners = List.of(
        kinded("127.0.0.1", 7270, 95, agentJvm, Map.of()),
        kinded("::1", 7271, 96, "node server.js", Map.of("NODE_OPTIONS", "--inspect=[::1]:7271")),
        kinded("127.0.0.1", 7272, 97, "java -cp berth.jar dev.berth.registry.Main --home " + home, Map.of("HOME", "/h")),
        kinded("127.0.0.1", 7273, 98, "java -cp berth.jar dev.berth.registry.Main --home " + other, Map.of("HOME", "/h")),
        kinded("127.0.0.1", 7274, 95, agentJvm, Map.of()));

    for (List<String> localhost : List.of(List.of("::1", "127.0.0.1"), List.of("127.0.0.1", "::1"))) {
      List<Finding> found = run(new LocalhostCheck(), facts(listeners, localhost, noRegistry(List.of(), Optional.empty())));

      if (localhost.get(0).equals("::1")) {
        assertThat(found).as("localhost %s", localhost).singleElement().satisfies(f -> {
          assertThat(f.getPort()).isEqualTo(7274); // the agent JVM's application: clients call it by name
          assertThat(f.getMessage()).contains("listens on 127.0.0.1:7274 only");
        });
      } else {
        assertThat(found).as("localhost %s", localhost).isEmpty();
      }
    }
  }

  @Test
  void squatter_aForeignListenerOnARememberedPort_notALiveInstanceOnIt() throws Exception {
    List<StickyBerth> berths = List.of(
        StickyBerth.newBuilder().setService("web").setEndpoint("http").addPorts(7240).addPorts(7241).build(),
        StickyBerth.newBuilder().setService("api").setEndpoint("main").setNamespace("shop-1a2b3c").addPorts(7242).build());
    List<Listening> listeners = List.of(
        at("127.0.0.1", 7240, ME, 70, "web"),
        at("127.0.0.1", 7241, OTHER, 71, "nc -l 7241"),
        at("127.0.0.1", 7242, ME, 72, "python3 -m http.server 7242"));

    List<Finding> found = run(new SquatterCheck(), facts(listeners, List.of("127.0.0.1"),
        registry(List.of(web(7240, 70)), berths, 99)));

    assertThat(found).extracting(Finding::getPort).containsExactly(7241, 7242);
    assertThat(found.get(0).getMessage()).isEqualTo("port 7241, remembered for web/http (its instance 2), is held by"
        + " pid 71 (nc -l 7241) outside Berth: web/http gets another port next time it starts");
    assertThat(found.get(1).getBerth()).isEqualTo("api/main in namespace shop-1a2b3c");
    assertThat(found.get(1).getFix()).isEqualTo("stop pid 72 (kill 72) if it should not run there, or move it to a"
        + " port outside Berth's pool (7300-7399); then api/main in namespace shop-1a2b3c gets its port back");
  }

  @Test
  void ephemeral_poolInsideTheRange_isAProblem_outsideItNothing() {
    List<Finding> inside = run(new EphemeralCheck(),
        facts(List.of(), List.of("127.0.0.1"), noRegistry(List.of(), Optional.of(PortPool.of(40000, 40063)))));
    List<Finding> outside = run(new EphemeralCheck(),
        facts(List.of(), List.of("127.0.0.1"), noRegistry(List.of(), Optional.of(PortPool.of(61000, 65535)))));

    assertThat(inside).singleElement().satisfies(f -> {
      assertThat(f.getMessage()).isEqualTo("the pool in $BERTH_PORTS, 40000-40063, overlaps the kernel's ephemeral"
          + " range 32768-60999 (/proc/sys/net/ipv4/ip_local_port_range) at 40000-40063: an outgoing connection"
          + " may hold a berth's port when its service starts");
      assertThat(f.getPort()).isEqualTo(40000);
    });
    assertThat(outside).isEmpty();
  }

  @Test
  void withoutProc_oneNoteNamesTheChecksThatCouldNotRun() {
    Doctor doctor = Doctor.withoutProc(home.resolve("no-such-range-file"));

    DoctorReport report = doctor.examine(noRegistry(List.of(), Optional.of(PortPool.of(40000, 40063))));

    List<Finding> platform = report.getFindingsList().stream().filter(f -> f.getCheck().equals("platform")).toList();
    assertThat(platform).singleElement().satisfies(f -> {
      assertThat(f.getSeverity()).isEqualTo(Finding.Severity.NOTE);
      assertThat(f.getMessage()).isEqualTo("this system has no /proc/net/tcp and no"
          + " /proc/sys/net/ipv4/ip_local_port_range: the exposed, localhost, squatter, ephemeral checks could not run");
      assertThat(f.getFix()).isEqualTo("list the listeners yourself: lsof -nP -iTCP -sTCP:LISTEN");
    });
    assertThat(report.getFindingsList()).noneMatch(f -> Set.of("exposed", "localhost", "squatter", "ephemeral")
        .contains(f.getCheck()));
  }

  @Test
  void holder_longCommandLine_isCutInTheLine_keptWholeInTheFinding() throws Exception {
    String whole = "python3 -c " + "x".repeat(200);
    List<Finding> found = run(new ExposedCheck(), facts(List.of(at("0.0.0.0", 7250, ME, 80, whole)),
        List.of("127.0.0.1"), noRegistry(List.of(), Optional.empty())));

    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.getCommandLine()).isEqualTo(whole);
      assertThat(f.getMessage()).isEqualTo("pid 80 (" + whole.substring(0, 97) + "...) listens on 0.0.0.0:7250,"
          + " reachable from other machines");
    });
  }

  @Test
  void text_oneLinePerFinding_problemsWithTheirFix_thenTheSummary() {
    DoctorReport report = DoctorReport.newBuilder().setOk(false).setStateDir("/h").setRegistryRunning(true)
        .addLocalhost("::1").addLocalhost("127.0.0.1")
        .addFindings(Check.problem("exposed", "pid 1 listens on 0.0.0.0:80", "bind 127.0.0.1"))
        .addFindings(Check.note("registry", "no registry", ""))
        .build();

    assertThat(DoctorText.line(report.getFindings(0))).isEqualTo("problem: pid 1 listens on 0.0.0.0:80: fix: bind 127.0.0.1");
    assertThat(DoctorText.line(report.getFindings(1))).isEqualTo("note: no registry");
    assertThat(DoctorText.summary(report)).isEqualTo(
        "berth doctor: 1 problem, 1 note (state dir /h, registry running; localhost is ::1, 127.0.0.1)");
  }
}
