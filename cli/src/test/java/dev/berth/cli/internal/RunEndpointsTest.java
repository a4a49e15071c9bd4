package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.Address;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which endpoints {@code berth run NAME[/ENDPOINT] [--endpoint E]... [--debug]} leases, and its lines. */
class RunEndpointsTest {

  private static RunEndpoints of(String target, List<String> more, Optional<DebugRuntime> debug) {
    return RunEndpoints.of(ServiceTarget.parse(target), more, debug);
  }

  @Test
  void of_nameAlone_isMain_nameWithEndpoint_isThatFirst() {
    assertThat(of("web", List.of(), Optional.empty()).names).containsExactly("main");
    assertThat(of("web/http", List.of(), Optional.empty()).names).containsExactly("http");
    assertThat(of("web/http", List.of("admin"), Optional.empty()).names).containsExactly("http", "admin");
    assertThat(of("web/main", List.of("admin"), Optional.empty()).names).containsExactly("main", "admin");
  }

  @Test
  void of_nameWithEndpoints_isThoseInOrder_withoutMain() {
    RunEndpoints e = of("web", List.of("http", "admin"), Optional.empty());

    assertThat(e.names).containsExactly("http", "admin");
    assertThat(e.first()).isEqualTo("http");
  }

  @Test
  void of_debug_addsTheDebugEndpointLast() {
    assertThat(of("web", List.of(), Optional.of(DebugRuntime.JAVA)).names).containsExactly("main", "debug");
    assertThat(of("web", List.of("http", "admin"), Optional.of(DebugRuntime.NODE)).names)
        .containsExactly("http", "admin", "debug");
  }

  @Test
  void refuseAgentOfTheCommand_anAgentOnTheCommandLineOrInAVariable_isOneLineNamingItAndTheFix() {
    RunEndpoints java = of("web", List.of(), Optional.of(DebugRuntime.JAVA));
    String jdwp = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=5005";
    assertThatThrownBy(() -> java.refuseAgentOfTheCommand(List.of("java", jdwp, "-jar", "app.jar"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--debug: the command already starts a debugger: " + jdwp + " on the command line"
            + " (expected: remove it, or run without --debug to keep your own)");
    assertThatThrownBy(() -> java.refuseAgentOfTheCommand(List.of("java", "-jar", "app.jar"), Map.of("JDK_JAVA_OPTIONS", jdwp)))
        .hasMessage("--debug: the command already starts a debugger: " + jdwp + " in JDK_JAVA_OPTIONS"
            + " (expected: remove it, or run without --debug to keep your own)");
    RunEndpoints node = of("web", List.of(), Optional.of(DebugRuntime.NODE));
    assertThatThrownBy(() -> node.refuseAgentOfTheCommand(List.of("node", "--inspect", "app.js"), Map.of()))
        .hasMessage("--debug: the command already starts a debugger: --inspect on the command line"
            + " (expected: remove it, or run without --debug to keep your own)");
  }

  @Test
  void refuseAgentOfTheCommand_withoutAnAgent_orWithoutDebug_passes() {
    of("web", List.of(), Optional.of(DebugRuntime.JAVA)).refuseAgentOfTheCommand(
        List.of("java", "-Xmx1g", "-jar", "app.jar"), Map.of("JAVA_TOOL_OPTIONS", "-Xss1m"));
    of("web", List.of(), Optional.empty()).refuseAgentOfTheCommand(
        List.of("java", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "Main"), Map.of());
  }

  @Test
  void of_anEndpointTwice_isRefusedNamingIt() {
    assertThatThrownBy(() -> of("web", List.of("http", "http"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--endpoint: 'http' is given twice (expected: each endpoint once)");
    assertThatThrownBy(() -> of("web/http", List.of("http"), Optional.empty()))
        .hasMessage("--endpoint: 'http' is given twice (by web/http too) (expected: each endpoint once)");
  }

  @Test
  void of_debugWithADebugEndpointOfItsOwn_isRefusedWithBothFixes() {
    assertThatThrownBy(() -> of("web", List.of("http", "debug"), Optional.of(DebugRuntime.JAVA)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--debug: adds the endpoint 'debug' itself (expected: --debug without a 'debug' "
            + "endpoint of your own, or that endpoint without --debug for an agent you start on "
            + "$BERTH_PORT_DEBUG)");
    assertThatThrownBy(() -> of("web/debug", List.of(), Optional.of(DebugRuntime.NODE)))
        .hasMessageStartingWith("--debug: adds the endpoint 'debug' itself");
    // without --debug it is a plain endpoint, for an agent the user starts
    assertThat(of("web", List.of("http", "debug"), Optional.empty()).names).containsExactly("http", "debug");
  }

  @Test
  void lines_nameEachPortByItsVariable_andTheDebuggerAsSuch() {
    RunEndpoints e = of("web", List.of("http", "admin"), Optional.of(DebugRuntime.JAVA));
    Map<String, Integer> ports = new LinkedHashMap<>(Map.of("http", 7001));
    ports.put("admin", 7002);
    ports.put("debug", 7003);
    Map<String, Address> addresses = new LinkedHashMap<>();
    addresses.put("http", Address.tcp("::1", 7001));
    addresses.put("admin", Address.loopback(7002));
    addresses.put("debug", Address.loopback(7003));

    assertThat(e.describe(ports))
        .isEqualTo("port 7001 ($PORT), port 7002 ($BERTH_PORT_ADMIN) and port 7003 (the debugger's)");
    assertThat(e.live(addresses))
        .isEqualTo("[::1]:7001, admin on 127.0.0.1:7002, debugger on 127.0.0.1:7003");
    assertThat(e.hint("admin")).isEqualTo("does it use $BERTH_PORT_ADMIN?");
    assertThat(e.hint("debug")).contains("java", "$JAVA_TOOL_OPTIONS");
    assertThat(of("web", List.of(), Optional.empty()).describe(Map.of("main", 7001)))
        .isEqualTo("port 7001 ($PORT)");
  }

  @Test
  void converters_refuseABadValueInOurWords() {
    assertThatThrownBy(() -> new RunEndpoints.Converter().convert("Admin"))
        .isInstanceOf(ServiceTarget.Refused.class)
        .hasMessageStartingWith("--endpoint: 'Admin' (expected: a DNS label");
    assertThatThrownBy(() -> new RunEndpoints.RuntimeConverter().convert("ruby"))
        .isInstanceOf(ServiceTarget.Refused.class)
        .hasMessage("--debug-runtime: 'ruby' (expected: java or node)");
    assertThat(new RunEndpoints.RuntimeConverter().convert("node")).isEqualTo(DebugRuntime.NODE);
  }
}
