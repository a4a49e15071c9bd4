package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.internal.DebugRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code debug:} in a berth.yaml: what it reads to, and each way it is refused, at FILE:LINE:COLUMN. */
class StackYamlDebugTest {

  @TempDir Path dir;

  @Test
  void debug_true_takesTheRuntimeFromTheProgram() throws IOException {
    write("""
        services:
          a:
            command: [java, -cp, x, Main]
            debug: true
          b:
            command: exec node server.js
            debug: true
          c:
            command: [sleep, '1']
            debug: false
          d:
            command: ./gradlew run
            debug: java
          e:
            command: [sleep, '1']
        """);
    StackFile stack = load();
    assertThat(stack.services()).extracting(ServiceSpec::debug).containsExactly(
        Optional.of(DebugRuntime.JAVA), Optional.of(DebugRuntime.NODE), Optional.empty(),
        Optional.of(DebugRuntime.JAVA), Optional.empty());
    assertThat(stack.services().get(0).endpoints()).as("debug is not one of the service's own").containsExactly("main");
  }

  @Test
  void debug_true_whenTheProgramIsNeitherJavaNorNode_namesItAndTheFix() {
    assertError("""
        services:
          orders:
            command: mvn -q exec:java
            debug: true
        """, "4:12: services.orders.debug: cannot tell whether 'mvn' is Java or Node (expected: debug:"
        + " java or debug: node, naming the runtime the command starts)");
  }

  @Test
  void debug_badValue() {
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            debug: python
        """, "4:12: services.orders.debug: 'python' (expected: true, false, java or node)");
    assertError("""
        services:
          orders:
            command: [sleep, '1']
            debug: [java]
        """, "4:12: services.orders.debug: a list (expected: true, false, java or node)");
  }

  @Test
  void ready_namingTheDebugEndpoint_isRefused() {
    assertError("""
        services:
          orders:
            command: [java, Main]
            debug: true
            ready: {tcp: true, endpoint: debug}
        """, "5:34: services.orders.ready.endpoint: 'debug' is the debugger's port, which nothing but a"
        + " debugger may connect to (a JDWP agent logs \"handshake failed\" for any other connect)"
        + " (expected: one of main)");
  }

  @Test
  void debug_withAnEndpointNamedDebug_isRefused() {
    assertError("""
        services:
          orders:
            command: [java, Main]
            endpoints: [main, debug]
            debug: java
        """, "4:23: services.orders.endpoints: 'debug' is the debugger's endpoint, which debug: adds"
        + " (expected: leave it out of endpoints)");
  }

  @Test
  void debugNode_withLeaseSelf_isRefused() {
    assertError("""
        services:
          web:
            command: node app.js
            lease: self
            debug: true
        """, "5:12: services.web.debug: node with lease: self (expected: lease: runner for a Node"
        + " program; only the Java library adds the debug port to the lease it holds)");
  }

  @Test
  void debug_withLeaseSelfAndInstances_isRefused() {
    assertError("""
        services:
          orders:
            command: [java, Main]
            lease: self
            instances: 2
            debug: true
        """, "6:12: services.orders.debug: with lease: self and instances: 2 (expected: instances: 1,"
        + " one JVM on the sticky debug port; or lease: runner, a debug port each)");
  }

  @Test
  void debug_whenEnvAlreadyStartsAnAgent_isRefused() {
    assertError("""
        services:
          orders:
            command: [java, Main]
            env:
              JAVA_TOOL_OPTIONS: -Xmx64m -agentlib:jdwp=transport=dt_socket,server=y,address=5005
            debug: true
        """, "6:12: services.orders.debug: the command already starts a debugger:"
        + " -agentlib:jdwp=transport=dt_socket,server=y,address=5005 in JAVA_TOOL_OPTIONS"
        + " (expected: remove it, or debug: false to keep your own)");
  }

  @Test
  void debug_whenTheCommandLineStartsAnAgent_isRefused() {
    assertError("""
        services:
          orders:
            command: java -agentlib:jdwp=transport=dt_socket,server=y,address=5005 -jar app.jar
            debug: true
        """, "4:12: services.orders.debug: the command already starts a debugger:"
        + " -agentlib:jdwp=transport=dt_socket,server=y,address=5005 on the command line"
        + " (expected: remove it, or debug: false to keep your own)");
    assertError("""
        services:
          web:
            command: [node, --inspect=9230, app.js]
            debug: node
        """, "4:12: services.web.debug: the command already starts a debugger: --inspect=9230 on the"
        + " command line (expected: remove it, or debug: false to keep your own)");
  }

  @Test
  void debug_whenTheRunnersEnvironmentStartsAnAgent_isRefused_unlessTheServicesEnvReplacesIt() throws IOException {
    Map<String, String> runner = Map.of("PATH", "/usr/bin:/bin", "JDK_JAVA_OPTIONS", "-agentlib:jdwp=server=y,address=5005",
        "NODE_OPTIONS", "--inspect");
    write("""
        services:
          orders:
            command: [java, Main]
            debug: true
        """);
    assertThatThrownBy(() -> StackFiles.load(dir, Optional.empty(), runner)).isInstanceOf(StackFileException.class)
        .hasMessage(dir.resolve("berth.yaml") + ":4:12: services.orders.debug: the command already starts a"
            + " debugger: -agentlib:jdwp=server=y,address=5005 in JDK_JAVA_OPTIONS (expected: remove it, or"
            + " debug: false to keep your own)");
    write("""
        services:
          orders:
            command: [java, Main]
            env:
              JDK_JAVA_OPTIONS: -Xmx64m
            debug: true
        """);
    assertThat(StackFiles.load(dir, Optional.empty(), runner).services().get(0).debug()).hasValue(DebugRuntime.JAVA);
  }

  @Test
  void withoutDebug_anEndpointNamedDebug_staysTheServicesOwn() throws IOException {
    write("""
        services:
          orders:
            command: [sleep, '1']
            endpoints: [main, debug]
            ready: {http: /, endpoint: debug}
        """);
    ServiceSpec s = load().services().get(0);
    assertThat(s.debug()).isEmpty();
    assertThat(s.ready().orElseThrow().endpoint()).isEqualTo("debug");
  }

  private void assertError(String yaml, String expected) {
    try {
      write(yaml);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThatThrownBy(this::load).isInstanceOf(StackFileException.class)
        .hasMessage(dir.resolve("berth.yaml") + ":" + expected);
  }

  private StackFile load() {
    return StackFiles.load(dir, Optional.empty(), StackFilesTest.ENV);
  }

  private void write(String text) throws IOException {
    Files.writeString(dir.resolve("berth.yaml"), text);
  }
}
