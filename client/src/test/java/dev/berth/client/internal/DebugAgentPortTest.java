package dev.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a lease joins this JVM's JDWP agent as endpoint debug, and when it leaves it alone. */
class DebugAgentPortTest {

  static final String AGENT = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:7901";
  final Map<String, String> env = new HashMap<>(Map.of("BERTH_DEBUG_PORT", "7901", "BERTH_SERVICE", "orders"));

  @Test
  void agentListeningAtThePort_isJoined() {
    assertThat(port("orders", Set.of("main"), List.of("-Xmx64m", AGENT), true)).hasValue(7901);
  }

  @Test
  void envWithoutAnAgent_joinsNothing() {
    assertThat(port("orders", Set.of("main"), List.of("-Xmx64m"), true)).isEmpty();
  }

  @Test
  void agentElsewhere_orNotAServer_orDeferred_joinsNothing() {
    assertThat(port("orders", Set.of("main"), List.of(AGENT.replace("7901", "7902")), true)).isEmpty();
    assertThat(port("orders", Set.of("main"), List.of(AGENT.replace("server=y", "server=n")), true)).isEmpty();
    assertThat(port("orders", Set.of("main"), List.of(AGENT + ",onthrow=java.io.IOException"), true)).isEmpty();
  }

  @Test
  void portNotHeldNow_joinsNothing() {
    // a debugger attached (the agent listens no more), or the agent failed: the registry would refuse it
    assertThat(port("orders", Set.of("main"), List.of(AGENT), false)).isEmpty();
  }

  @Test
  void anotherService_orItsOwnDebugEndpoint_orNoPort_joinsNothing() {
    assertThat(port("catalog", Set.of("main"), List.of(AGENT), true)).isEmpty();
    assertThat(port("orders", Set.of("main", "debug"), List.of(AGENT), true)).isEmpty();
    env.put("BERTH_DEBUG_PORT", "seven");
    assertThat(port("orders", Set.of("main"), List.of(AGENT), true)).isEmpty();
    env.remove("BERTH_DEBUG_PORT");
    assertThat(port("orders", Set.of("main"), List.of(AGENT), true)).isEmpty();
  }

  @Test
  void listensAt_readsEveryAddressForm() {
    assertThat(DebugAgentPort.listensAt("-agentlib:jdwp=transport=dt_socket,server=y,address=7901", 7901)).isTrue();
    assertThat(DebugAgentPort.listensAt("-agentlib:jdwp=transport=dt_socket,server=y,address=*:7901", 7901)).isTrue();
    assertThat(DebugAgentPort.listensAt("-Xrunjdwp:transport=dt_socket,address=localhost:7901,server=y", 7901)).isTrue();
    assertThat(DebugAgentPort.listensAt("-agentlib:jdwp=transport=dt_socket,server=y", 7901)).isFalse();
    assertThat(DebugAgentPort.listensAt("-agentlib:hprof=address=7901,server=y", 7901)).isFalse();
  }

  private OptionalInt port(String service, Set<String> endpoints, List<String> args, boolean held) {
    return DebugAgentPort.forLease(service, endpoints, env::get, () -> args, p -> held);
  }
}
