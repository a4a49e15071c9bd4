package dev.berth.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.local.DebugAgents.Agent;
import dev.berth.local.DebugAgents.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one reading of JDWP agents and Node inspectors from a command line and its environment. */
class DebugAgentsTest {

  private static final String JDWP = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=";

  private static List<Agent> jdwp(List<String> argv, Map<String, String> env) {
    return DebugAgents.jdwp(argv, env);
  }

  private static Optional<Agent> inspector(List<String> argv, Map<String, String> env) {
    return DebugAgents.inspector(argv, env);
  }

  @Test
  void jdwp_everyAddressForm_givesItsPort() {
    for (String address : List.of("5005", "127.0.0.1:5005", "*:5005", "[::1]:5005", "localhost:5005", "0.0.0.0:5005")) {
      assertThat(jdwp(List.of("java", JDWP + address, "Main"), Map.of())).as(address)
          .singleElement().satisfies(a -> {
            assertThat(a.port()).isEqualTo(5005);
            assertThat(a.listens()).isTrue();
            assertThat(a.kind()).isEqualTo(Kind.JDWP);
          });
    }
  }

  @Test
  void jdwp_xrunjdwpForm_andNoAddress_isPortZero() {
    assertThat(jdwp(List.of("java", "-Xrunjdwp:transport=dt_socket,server=y,address=8000", "-jar", "a.jar"), Map.of()))
        .singleElement().extracting(Agent::port).isEqualTo(8000);
    assertThat(jdwp(List.of("java", "-agentlib:jdwp=transport=dt_socket,server=y", "Main"), Map.of()))
        .singleElement().extracting(Agent::port).isEqualTo(0);
  }

  @Test
  void jdwp_serverNo_orAnotherTransport_isAnAgentThatDoesNotListen() {
    assertThat(jdwp(List.of("java", "-agentlib:jdwp=transport=dt_socket,server=n,address=5005", "Main"), Map.of()))
        .singleElement().extracting(Agent::listens).isEqualTo(false);
    assertThat(jdwp(List.of("java", "-agentlib:jdwp=transport=dt_shmem,server=y,address=x", "Main"), Map.of()))
        .singleElement().extracting(Agent::listens).isEqualTo(false);
  }

  @Test
  void jdwp_onthrowOrLaunch_isDeferred() {
    assertThat(jdwp(List.of("java", JDWP + "5005,onthrow=java.io.IOException,launch=/bin/true", "Main"), Map.of()))
        .singleElement().extracting(Agent::deferred).isEqualTo(true);
    assertThat(jdwp(List.of("java", JDWP + "5005", "Main"), Map.of()))
        .singleElement().extracting(Agent::deferred).isEqualTo(false);
  }

  @Test
  void jdwp_afterTheMainClassOrJar_isTheProgramsArgument_notTheJvms() {
    assertThat(jdwp(List.of("java", "Main", JDWP + "5005"), Map.of())).isEmpty();
    assertThat(jdwp(List.of("java", "-jar", "app.jar", JDWP + "5005"), Map.of())).isEmpty();
    assertThat(jdwp(List.of("java", "-cp", JDWP + "5005", "Main"), Map.of())).as("a -cp value").isEmpty();
    assertThat(jdwp(List.of("java", "-cp", "lib", "-Xmx1g", JDWP + "5005", "Main"), Map.of()))
        .singleElement().extracting(Agent::port).isEqualTo(5005);
  }

  @Test
  void jdwp_inEachJavaVariable_isNamedWithIt() {
    for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
      assertThat(jdwp(List.of("java", "Main"), Map.of(variable, "-Xmx64m \"" + JDWP + "127.0.0.1:5006\"")))
          .as(variable).singleElement().satisfies(a -> {
            assertThat(a.port()).isEqualTo(5006);
            assertThat(a.describe()).isEqualTo(JDWP + "127.0.0.1:5006 in " + variable);
          });
    }
    assertThat(jdwp(List.of("java", JDWP + "5005", "Main"), Map.of()).get(0).describe())
        .isEqualTo(JDWP + "5005 on the command line");
  }

  @Test
  void jdwp_inAVariableAndOnTheCommandLine_isTwoAgents_variablesFirst() {
    assertThat(jdwp(List.of("java", JDWP + "5005", "Main"), Map.of("JAVA_TOOL_OPTIONS", JDWP + "5006")))
        .extracting(Agent::port).containsExactly(5006, 5005);
  }

  @Test
  void jdwp_behindShDashC_orEnv_isTheProgramsAgent_withItsAssignments() {
    assertThat(jdwp(List.of("sh", "-c", "exec java " + JDWP + "5005 -jar app.jar && echo done"), Map.of()))
        .singleElement().extracting(Agent::port).isEqualTo(5005);
    assertThat(jdwp(List.of("/usr/bin/env", "JAVA_TOOL_OPTIONS=" + JDWP + "5007", "java", "Main"), Map.of()))
        .singleElement().extracting(Agent::describe).isEqualTo(JDWP + "5007 in JAVA_TOOL_OPTIONS");
    assertThat(jdwp(List.of("bash", "-c", "JAVA_TOOL_OPTIONS=" + JDWP + "5008 java Main"), Map.of()))
        .singleElement().extracting(Agent::port).isEqualTo(5008);
  }

  @Test
  void jdwp_none_isEmpty() {
    assertThat(jdwp(List.of("java", "-Xmx1g", "-jar", "app.jar"), Map.of("JAVA_TOOL_OPTIONS", "-Xss1m"))).isEmpty();
    assertThat(jdwp(List.of(), Map.of())).isEmpty();
  }

  @Test
  void inspector_everyForm_givesItsPort_defaultingTo9229() {
    Map<List<String>, Integer> forms = Map.of(
        List.of("node", "--inspect", "app.js"), 9229,
        List.of("node", "--inspect=9230", "app.js"), 9230,
        List.of("node", "--inspect-brk=127.0.0.1:9231", "app.js"), 9231,
        List.of("node", "--inspect-wait=[::1]:9232", "app.js"), 9232,
        List.of("node", "--inspect=localhost", "app.js"), 9229,
        List.of("node", "--inspect", "--inspect-port", "9233", "app.js"), 9233,
        List.of("node", "--inspect-port=9234", "--inspect", "app.js"), 9234);
    forms.forEach((argv, port) -> assertThat(inspector(argv, Map.of())).as(argv.toString())
        .hasValueSatisfying(a -> assertThat(a.port()).isEqualTo(port)));
  }

  @Test
  void inspector_inNodeOptions_isNamedWithIt_andTheCommandLinesPortWins() {
    assertThat(inspector(List.of("node", "app.js"), Map.of("NODE_OPTIONS", "--max-old-space-size=512 --inspect=9240")))
        .hasValueSatisfying(a -> assertThat(a.describe()).isEqualTo("--inspect=9240 in NODE_OPTIONS"));
    assertThat(inspector(List.of("node", "--inspect=9241", "app.js"), Map.of("NODE_OPTIONS", "--inspect=9240")))
        .hasValueSatisfying(a -> assertThat(a.port()).isEqualTo(9241));
  }

  @Test
  void inspector_afterTheScript_orInAnEvalScript_orPortAlone_isNone() {
    assertThat(inspector(List.of("node", "app.js", "--inspect"), Map.of())).isEmpty();
    assertThat(inspector(List.of("node", "-e", "--inspect", "app.js"), Map.of())).isEmpty();
    assertThat(inspector(List.of("node", "--inspect-port=9229", "app.js"), Map.of())).isEmpty();
    assertThat(inspector(List.of("node", "--", "--inspect"), Map.of())).isEmpty();
  }

  @Test
  void of_aJvmAndItsInspectorVariable_readsBoth_jdwpFirst() {
    assertThat(DebugAgents.of(List.of("node", "--inspect", "app.js"), Map.of("JAVA_TOOL_OPTIONS", JDWP + "5005")))
        .extracting(Agent::kind).containsExactly(Kind.JDWP, Kind.INSPECTOR);
  }

  @Test
  void program_unwrapsShDashCEnvAndExec() {
    assertThat(DebugAgents.program(List.of("sh", "-c", "A=1 exec node 'app.js' | tee log"))).containsExactly("node", "app.js");
    assertThat(DebugAgents.program(List.of("env", "A=1", "B=2", "java", "-jar", "x.jar"))).containsExactly("java", "-jar", "x.jar");
    assertThat(DebugAgents.program(List.of("/bin/bash", "-c", "java Main; echo"))).containsExactly("java", "Main");
    assertThat(DebugAgents.program(List.of("mvn", "quarkus:dev"))).containsExactly("mvn", "quarkus:dev");
    assertThat(DebugAgents.program(List.of())).isEmpty();
  }

  @Test
  void kinds_haveTheLeaseMetadataValues() {
    assertThat(Kind.JDWP.metadataValue()).isEqualTo("jdwp");
    assertThat(Kind.INSPECTOR.metadataValue()).isEqualTo("inspector");
    assertThat(DebugAgents.ENDPOINT).isEqualTo("debug");
    assertThat(DebugAgents.METADATA_KEY).isEqualTo("debug");
    assertThat(DebugAgents.PORT_ENV).isEqualTo("BERTH_DEBUG_PORT");
  }
}
