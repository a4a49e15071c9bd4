package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which debugger {@code --debug} starts for a command, and how it reaches the program's environment. */
class DebugRuntimeTest {

  @Test
  void detect_javaByNameOrPath_isJava() {
    assertThat(DebugRuntime.detect(List.of("java", "-jar", "app.jar"))).contains(DebugRuntime.JAVA);
    assertThat(DebugRuntime.detect(List.of("/usr/bin/java", "-cp", "classes", "Main"))).contains(DebugRuntime.JAVA);
  }

  @Test
  void detect_nodeOrNodejs_isNode() {
    assertThat(DebugRuntime.detect(List.of("node", "server.js"))).contains(DebugRuntime.NODE);
    assertThat(DebugRuntime.detect(List.of("nodejs", "server.js"))).contains(DebugRuntime.NODE);
    assertThat(DebugRuntime.detect(List.of("/usr/local/bin/node", "server.js"))).contains(DebugRuntime.NODE);
  }

  @Test
  void detect_behindShellExecAndEnv_findsTheProgram() {
    assertThat(DebugRuntime.detect(List.of("sh", "-c", "exec java -cp app Main"))).contains(DebugRuntime.JAVA);
    assertThat(DebugRuntime.detect(List.of("bash", "-c", "A=b exec node server.js"))).contains(DebugRuntime.NODE);
    assertThat(DebugRuntime.detect(List.of("env", "A=b", "java", "-jar", "app.jar"))).contains(DebugRuntime.JAVA);
    assertThat(DebugRuntime.detect(List.of("/usr/bin/env", "A=b", "C=d", "node", "x.js"))).contains(DebugRuntime.NODE);
    assertThat(DebugRuntime.detect(List.of("sh", "-c", "env A=b java -jar app.jar"))).contains(DebugRuntime.JAVA);
  }

  @Test
  void detect_launchersAndOtherPrograms_areNotGuessed() {
    assertThat(DebugRuntime.detect(List.of("mvn", "quarkus:dev"))).isEmpty();
    assertThat(DebugRuntime.detect(List.of("npm", "start"))).isEmpty();
    assertThat(DebugRuntime.detect(List.of("./gradlew", "bootRun"))).isEmpty();
    assertThat(DebugRuntime.detect(List.of("python3", "app.py"))).isEmpty();
    assertThat(DebugRuntime.detect(List.of("sh", "-c", "exec mvn spring-boot:run"))).isEmpty();
    assertThat(DebugRuntime.detect(List.of("javac", "Main.java"))).isEmpty();
    assertThat(DebugRuntime.detect(List.of("env"))).isEmpty();
    assertThat(DebugRuntime.detect(List.of())).isEmpty();
  }

  @Test
  void apply_emptyEnvironment_setsTheAgentAlone() {
    Map<String, String> env = new HashMap<>();

    DebugRuntime.JAVA.apply(env, 7002);
    DebugRuntime.NODE.apply(env, 7003);

    assertThat(env).containsEntry("JAVA_TOOL_OPTIONS",
        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:7002");
    assertThat(env).containsEntry("NODE_OPTIONS", "--inspect=127.0.0.1:7003");
  }

  @Test
  void apply_userValue_isKeptAndTheAgentAppendedAfterIt() {
    Map<String, String> env = new HashMap<>(Map.of("JAVA_TOOL_OPTIONS", "-Xmx64m -Dfoo=bar",
        "NODE_OPTIONS", "--max-old-space-size=256"));

    DebugRuntime.JAVA.apply(env, 7002);
    DebugRuntime.NODE.apply(env, 7003);

    assertThat(env).containsEntry("JAVA_TOOL_OPTIONS",
        "-Xmx64m -Dfoo=bar -agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:7002");
    assertThat(env).containsEntry("NODE_OPTIONS", "--max-old-space-size=256 --inspect=127.0.0.1:7003");
  }

  @Test
  void apply_whenTheVariableAlreadyStartsAnAgent_isRefusedNamingItAndLeavesItAlone() {
    for (String own : List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
        "-Xmx64m -Xrunjdwp:transport=dt_socket,server=y")) {
      Map<String, String> env = new HashMap<>(Map.of("JAVA_TOOL_OPTIONS", own));

      assertThatThrownBy(() -> DebugRuntime.JAVA.apply(env, 7002))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("JAVA_TOOL_OPTIONS already starts a debugger")
          .hasMessageContaining(own);
      assertThat(env).containsEntry("JAVA_TOOL_OPTIONS", own);
    }
    Map<String, String> env = new HashMap<>(Map.of("NODE_OPTIONS", "--inspect-brk=9229"));
    assertThatThrownBy(() -> DebugRuntime.NODE.apply(env, 7003))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NODE_OPTIONS already starts a debugger ('--inspect-brk=9229')");
  }

  @Test
  void agentAlready_onTheCommandLineOrInAnyJavaVariable_namesTheOptionAndWhere() {
    String jdwp = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:5005";
    assertThat(DebugRuntime.JAVA.agentAlready(List.of("java", jdwp, "-jar", "app.jar"), Map.of()))
        .hasValue(jdwp + " on the command line");
    assertThat(DebugRuntime.JAVA.agentAlready(List.of("sh", "-c", "exec java -Xrunjdwp:server=n,address=9000 Main"), Map.of()))
        .as("an agent that does not listen cannot load beside ours either").hasValue("-Xrunjdwp:server=n,address=9000 on the command line");
    for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
      assertThat(DebugRuntime.JAVA.agentAlready(List.of("java", "Main"), Map.of(variable, "-Xmx1g " + jdwp)))
          .hasValue(jdwp + " in " + variable);
    }
    assertThat(DebugRuntime.JAVA.agentAlready(List.of("./run.sh"), Map.of("JDK_JAVA_OPTIONS", jdwp)))
        .as("--debug-runtime java for a script: its variables still count").hasValue(jdwp + " in JDK_JAVA_OPTIONS");
  }

  @Test
  void agentAlready_nodeInspectorOnTheCommandLineOrInNodeOptions_isNamed() {
    assertThat(DebugRuntime.NODE.agentAlready(List.of("node", "--inspect", "app.js"), Map.of()))
        .hasValue("--inspect on the command line");
    assertThat(DebugRuntime.NODE.agentAlready(List.of("node", "app.js"), Map.of("NODE_OPTIONS", "--inspect-brk=0.0.0.0:9229")))
        .hasValue("--inspect-brk=0.0.0.0:9229 in NODE_OPTIONS");
  }

  @Test
  void agentAlready_none_orTheOtherRuntimesOnly_isEmpty() {
    assertThat(DebugRuntime.JAVA.agentAlready(List.of("java", "-jar", "app.jar", "-agentlib:jdwp=server=y"), Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g")))
        .as("after -jar: the program's argument").isEmpty();
    assertThat(DebugRuntime.JAVA.agentAlready(List.of("java", "Main"), Map.of("NODE_OPTIONS", "--inspect"))).isEmpty();
    assertThat(DebugRuntime.NODE.agentAlready(List.of("node", "app.js", "--inspect"), Map.of("JAVA_TOOL_OPTIONS",
        "-agentlib:jdwp=transport=dt_socket,server=y,address=5005"))).isEmpty();
  }

  @Test
  void ofWord_javaOrNodeInAnyCase_elseEmpty() {
    assertThat(DebugRuntime.ofWord("Java")).contains(DebugRuntime.JAVA);
    assertThat(DebugRuntime.ofWord("node")).contains(DebugRuntime.NODE);
    assertThat(DebugRuntime.ofWord("ruby")).isEmpty();
    assertThat(DebugRuntime.JAVA.metadataValue()).isEqualTo("jdwp");
    assertThat(DebugRuntime.NODE.metadataValue()).isEqualTo("inspector");
  }
}
