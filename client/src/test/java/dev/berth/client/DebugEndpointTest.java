package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.registry.BerthRegistry;
import dev.berth.testing.JdwpHandshake;
import dev.berth.testing.TestPools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that {@code berth up} starts with {@code debug:} and {@code lease: self}: its own lease
 * carries its JDWP agent's port as endpoint {@code debug}, through a registry restart too; without
 * the agent, the variables alone change nothing. Real child JVMs, a real agent.
 */
class DebugEndpointTest {
  @TempDir Path home;
  BerthRegistry registry;
  ChildJvm child;

  @AfterEach
  void stop() throws Exception {
    if (child != null) {
      child.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void agentListening_joinsDebugToTheSameInstance_alreadyBound_andKeepsItAfterARegistryRestart()
      throws Exception {
    registry = TestRegistry.start(home);
    int registryPort = registry.port();
    int debugPort = TestPools.port();
    child = start(Map.of("BERTH_SERVICE", "dbg", "BERTH_DEBUG_PORT", Integer.toString(debugPort),
        "JAVA_TOOL_OPTIONS", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + debugPort));
    String serving = child.awaitLine("serving ", Duration.ofSeconds(30));
    int main = Integer.parseInt(serving.split(" ")[0]);
    assertThat(serving.split(" ")[1]).as("address() is main's, not the debugger's").isEqualTo("127.0.0.1:" + main);

    Instance instance = only(registry);
    assertThat(ports(instance)).containsExactly(Map.entry("main", main), Map.entry("debug", debugPort));
    assertThat(instance.getMetadataMap()).containsEntry("debug", "jdwp");
    assertThat(instance.getPid()).isEqualTo(child.pid());

    registry.close();
    registry = TestRegistry.start(home, registryPort);
    Waits.until(Duration.ofSeconds(15), () -> find(registry).isPresent(), "re-attached");
    Instance again = find(registry).orElseThrow();
    assertThat(ports(again)).containsExactly(Map.entry("main", main), Map.entry("debug", debugPort));
    assertThat(again.getMetadataMap()).containsEntry("debug", "jdwp");
    // and it is the agent there, untouched by Berth
    assertThat(JdwpHandshake.attach("127.0.0.1", debugPort, Duration.ofSeconds(5))).isEqualTo("JDWP-Handshake");
  }

  @Test
  void twoLeasesOfTheService_bothAttach_exactlyOneCarriesDebug_untilItCloses() throws Exception {
    registry = TestRegistry.start(home);
    int debugPort = TestPools.port();
    Path next = home.resolve("next");
    child = ChildJvm.start(Map.of("BERTH_SERVICE", "dbg", "BERTH_DEBUG_PORT", Integer.toString(debugPort),
            "JAVA_TOOL_OPTIONS", "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + debugPort),
        DebugTwoLeasesMain.class, "127.0.0.1:" + registry.port(), home.toString(), next.toString());

    assertThat(child.awaitLine("two ", Duration.ofSeconds(30))).isEqualTo("debug -");
    List<Instance> two = all(registry, 2);
    assertThat(two).filteredOn(i -> ports(i).contains(Map.entry("debug", debugPort))).hasSize(1);
    assertThat(two).filteredOn(i -> i.getMetadataMap().containsKey("debug")).hasSize(1);

    java.nio.file.Files.createFile(next); // a closes: its claim goes to the next lease, c
    assertThat(child.awaitLine("third ", Duration.ofSeconds(30))).isEqualTo("- debug");
    Waits.until(Duration.ofSeconds(10), () -> all(registry).size() == 2
        && all(registry).stream().anyMatch(i -> ports(i).contains(Map.entry("debug", debugPort))), "c listed with debug");
    assertThat(all(registry)).filteredOn(i -> i.getMetadataMap().containsKey("debug")).hasSize(1);
  }

  @Test
  void envWithoutAnAgent_addsNoDebugEndpoint() throws Exception {
    registry = TestRegistry.start(home);
    int debugPort = TestPools.port();
    child = start(Map.of("BERTH_SERVICE", "dbg", "BERTH_DEBUG_PORT", Integer.toString(debugPort)));
    int main = Integer.parseInt(child.awaitLine("serving ", Duration.ofSeconds(30)).split(" ")[0]);
    Instance instance = only(registry);
    assertThat(ports(instance)).containsExactly(Map.entry("main", main));
    assertThat(instance.getMetadataMap()).doesNotContainKey("debug");
  }

  private ChildJvm start(Map<String, String> env) throws Exception {
    return ChildJvm.start(env, DebugServiceMain.class, "127.0.0.1:" + registry.port(), home.toString());
  }

  private static Instance only(BerthRegistry registry) throws InterruptedException {
    Waits.until(Duration.ofSeconds(10), () -> find(registry).isPresent(), "instance listed");
    return find(registry).orElseThrow();
  }

  private static List<Instance> all(BerthRegistry registry, int count) throws InterruptedException {
    Waits.until(Duration.ofSeconds(10), () -> all(registry).size() == count, count + " instances listed");
    return all(registry);
  }

  private static List<Instance> all(BerthRegistry registry) {
    try (Berth berth = TestRegistry.connect(registry)) {
      return berth.registryStub().list(ListRequest.getDefaultInstance()).getInstancesList()
          .stream().filter(i -> i.getService().equals("dbg")).collect(Collectors.toList());
    }
  }

  private static Optional<Instance> find(BerthRegistry registry) {
    try (Berth berth = TestRegistry.connect(registry)) {
      List<Instance> found = berth.registryStub().list(ListRequest.getDefaultInstance()).getInstancesList()
          .stream().filter(i -> i.getService().equals("dbg")).collect(Collectors.toList());
      assertThat(found).hasSizeLessThanOrEqualTo(1);
      return found.stream().findFirst();
    } catch (io.grpc.StatusRuntimeException e) {
      return Optional.empty();
    }
  }

  private static List<Map.Entry<String, Integer>> ports(Instance instance) {
    return instance.getEndpointsList().stream().map((Endpoint e) -> Map.entry(e.getName(), e.getPort()))
        .collect(Collectors.toList());
  }
}
