package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.internal.DebugRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        """, "6:12: services.orders.debug: env JAVA_TOOL_OPTIONS already starts a debugger ('-Xmx64m"
        + " -agentlib:jdwp=transport=dt_socket,server=y,address=5005'): remove that, or do without"
        + " Berth's debug port");
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
