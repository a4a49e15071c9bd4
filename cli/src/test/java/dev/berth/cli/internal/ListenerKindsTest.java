package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.internal.ListenerKinds.Kind;
import dev.berth.cli.internal.ListenerKinds.ListenerKind;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The classifier over command lines and environments as /proc shows them (pure: no process is read). */
class ListenerKindsTest {

  private static final Path HOME = Path.of("/tmp/i13who-test/home");

  private static Optional<ListenerKind> of(String commandLine, int port) {
    return of(commandLine, Map.of(), port);
  }

  private static Optional<ListenerKind> of(String commandLine, Map<String, String> env, int port) {
    return ListenerKinds.of(commandLine, env, 42, port, HOME);
  }

  private static Optional<String> described(String commandLine, Map<String, String> env, int port) {
    return of(commandLine, env, port).map(ListenerKind::describe);
  }

  @Test
  void jdwp_onItsConfiguredPort_isTheAgent_andTheJvmsOtherPortsAreNot() {
    for (String address : new String[] {"5005", "127.0.0.1:5005", "*:5005", "[::1]:5005", "localhost:5005"}) {
      String java = "java -agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=" + address
          + " -jar app.jar --server.port=8080";
      assertThat(described(java, Map.of(), 5005)).as(address).contains("a Java debug agent (JDWP) of pid 42");
      assertThat(of(java, 8080)).as(address).isEmpty();
    }
    assertThat(of("java -Xdebug -Xrunjdwp:transport=dt_socket,server=y,address=8000 Main", 8000))
        .map(ListenerKind::kind).contains(Kind.JDWP_AGENT);
  }

  @Test
  void jdwp_fromTheEnvironment_whichTheCommandLineDoesNotShow() {
    String agent = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:5005";
    for (String variable : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"}) {
      Map<String, String> env = Map.of(variable, "-Xmx64m " + agent);
      assertThat(described("java -cp app Main", env, 5005)).as(variable)
          .contains("a Java debug agent (JDWP) of pid 42");
      assertThat(of("java -cp app Main", env, 8080)).as(variable).isEmpty();
    }
  }

  @Test
  void jdwp_thatConnectsOut_orNotOverASocket_listensNowhere() {
    // server=n (the default) dials a debugger that listens itself: the listener is the IDE's
    assertThat(of("java -agentlib:jdwp=transport=dt_socket,address=127.0.0.1:5005 Main", 5005)).isEmpty();
    assertThat(of("java -Xrunjdwp:transport=dt_socket -cp x Main", 5005)).isEmpty();
    assertThat(of("java -agentlib:jdwp=transport=dt_shmem,server=y,address=x Main", 5005)).isEmpty();
    // an application's argument is no JVM option
    assertThat(of("java -jar app.jar -agentlib:jdwp=transport=dt_socket,server=y,address=5005", 5005)).isEmpty();
  }

  @Test
  void jdwp_thatChoseItsOwnPort_isOnlyPerhapsOnThisOne() {
    for (String java : new String[] {
        "java -agentlib:jdwp=transport=dt_socket,server=y -jar a.jar",
        "java -agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0 -cp x Main"}) {
      Optional<ListenerKind> kind = of(java, 40123);
      assertThat(kind).as(java).map(ListenerKind::certain).contains(false);
      assertThat(kind.get().describe())
          .isEqualTo("perhaps the Java debug agent (JDWP) of pid 42, which chose its own port");
    }
  }

  @Test
  void nodeInspector_onItsPort_fromTheCommandLineOrNodeOptions() {
    assertThat(described("node --inspect=127.0.0.1:9300 server.js", Map.of(), 9300))
        .contains("a Node inspector of pid 42");
    assertThat(of("node --inspect=127.0.0.1:9300 server.js", 8080)).isEmpty();
    assertThat(of("node --inspect-brk server.js", 9229)).map(ListenerKind::kind).contains(Kind.NODE_INSPECTOR);
    assertThat(of("node --inspect server.js", 9229)).map(ListenerKind::kind).contains(Kind.NODE_INSPECTOR);
    assertThat(of("/usr/bin/node --inspect=9301 -e setInterval(()=>{},1000)", 9301)).isPresent();
    assertThat(of("node --inspect --inspect-port=9302 app.js", 9302)).isPresent();
    assertThat(of("node --inspect=0.0.0.0 app.js", 9229)).isPresent();
    assertThat(of("node --inspect=[::1]:9303 app.js", 9303)).isPresent();
    assertThat(of("node app.js", Map.of("NODE_OPTIONS", "--max-old-space-size=64 --inspect=127.0.0.1:9304"), 9304))
        .map(ListenerKind::kind).contains(Kind.NODE_INSPECTOR);
    assertThat(of("node --inspect=0 app.js", 40200)).map(ListenerKind::certain).contains(false);
  }

  @Test
  void nodeInspector_flagsOfTheScriptOrOfAnotherProgram_areNot() {
    assertThat(of("node server.js --inspect", 9229)).isEmpty();
    assertThat(of("node -e --inspect", 9229)).isEmpty();
    assertThat(of("java -jar orders.jar --inspector", 9229)).isEmpty();
    assertThat(of("node --inspect-port=9305 app.js", 9305)).as("a port, but no --inspect").isEmpty();
  }

  @Test
  void registry_ofThisStateDir_andOfAnother_fromItsHomeOptionOrEnvironment() {
    String daemon = "java -XX:+UseSerialGC dev.berth.registry.Main --home " + HOME + " --ports 7400-7599";
    assertThat(described(daemon, Map.of(), 7400))
        .contains("the Berth registry of this state dir (" + HOME + "), pid 42");
    assertThat(described("java -jar /x/cli/target/berth.jar registry --port 0",
        Map.of("BERTH_HOME", "/tmp/i13who-other"), 7401))
        .contains("a Berth registry of another state dir, /tmp/i13who-other (pid 42): "
            + "BERTH_HOME=/tmp/i13who-other berth ls shows its instances");
    assertThat(of("java -jar berth-launcher.jar --home=/tmp/i13who-x/ registry", 7402))
        .flatMap(ListenerKind::stateDir).contains(Path.of("/tmp/i13who-x"));
    assertThat(of("java -cp a.jar dev.berth.cli.BerthCli --verbose registry", Map.of("HOME", "/root"), 7403))
        .flatMap(ListenerKind::stateDir).contains(Path.of("/root/.berth"));
    assertThat(of("java -Dberth.home=/tmp/i13who-p dev.berth.registry.Main", Map.of("BERTH_HOME", "/y"), 7404))
        .flatMap(ListenerKind::stateDir).contains(Path.of("/tmp/i13who-p"));
    assertThat(of("java dev.berth.registry.Main", Map.of("XDG_RUNTIME_DIR", "/run/user/7"), 7405))
        .flatMap(ListenerKind::stateDir).contains(Path.of("/run/user/7/berth"));
    // another user's: the command line is readable, the environment is not
    assertThat(described("java -jar berth.jar registry", Map.of(), 7406))
        .contains("a Berth registry (pid 42) of a state dir its environment does not show (another user's?)");
    assertThat(described(daemon.replace(HOME.toString(), "/tmp/my dir"), Map.of(), 7407)).isPresent();
    assertThat(of("java -jar berth.jar ls", 7408)).isEmpty();
    assertThat(of("java -jar app.jar registry", 7409)).isEmpty();
  }

  @Test
  void registry_withAJdwpAgent_isTheAgentOnTheAgentsPortOnly() {
    String daemon = "java -agentlib:jdwp=transport=dt_socket,server=y,address=7410 dev.berth.registry.Main --home /h";
    assertThat(of(daemon, 7410)).map(ListenerKind::kind).contains(Kind.JDWP_AGENT);
    assertThat(of(daemon, 7411)).map(ListenerKind::kind).contains(Kind.BERTH_REGISTRY);
  }

  @Test
  void anythingElse_isNoKind() {
    assertThat(of("python3 -m http.server 8080", 8080)).isEmpty();
    assertThat(of("", 8080)).isEmpty();
  }

  @Test
  void shellWord_quotesOnlyWhatNeedsIt() {
    assertThat(ListenerKinds.shellWord("/tmp/a-b_c.d")).isEqualTo("/tmp/a-b_c.d");
    assertThat(ListenerKinds.shellWord("/tmp/my dir")).isEqualTo("'/tmp/my dir'");
    assertThat(ListenerKinds.shellWord("/tmp/it's")).isEqualTo("'/tmp/it'\\''s'");
  }
}
