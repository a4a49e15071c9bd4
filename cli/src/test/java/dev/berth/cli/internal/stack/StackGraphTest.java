package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.internal.stack.ServiceSpec.LeaseMode;
import dev.berth.cli.internal.stack.ServiceSpec.RestartPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StackGraphTest {

  /** db ← catalog ← orders ← gateway, db ← orders, cache (alone), worker ← orders. */
  static final StackGraph SHOP = graph(
      "gateway", List.of("orders"),
      "orders", List.of("catalog", "db"),
      "catalog", List.of("db"),
      "db", List.of(),
      "cache", List.of(),
      "worker", List.of("orders"));

  @Test
  void levels_groupByDepth_inFileOrderWithinALevel() {
    assertThat(SHOP.levels()).containsExactly(
        List.of("db", "cache"),
        List.of("catalog"),
        List.of("orders"),
        List.of("gateway", "worker"));
  }

  @Test
  void startOrder_andStopLevels() {
    assertThat(SHOP.startOrder()).containsExactly("db", "cache", "catalog", "orders", "gateway", "worker");
    assertThat(SHOP.stopLevels()).containsExactly(
        List.of("gateway", "worker"),
        List.of("orders"),
        List.of("catalog"),
        List.of("db", "cache"));
  }

  @Test
  void dependenciesAndDependents_areDirect() {
    assertThat(SHOP.dependencies("orders")).containsExactly("catalog", "db");
    assertThat(SHOP.dependents("orders")).containsExactly("gateway", "worker");
    assertThat(SHOP.dependents("db")).containsExactly("orders", "catalog");
    assertThat(SHOP.dependents("gateway")).isEmpty();
  }

  @Test
  void closure_isTheNamedPlusWhatTheyNeed_inStartOrder() {
    assertThat(SHOP.closure(Set.of("gateway"))).containsExactly("db", "catalog", "orders", "gateway");
    assertThat(SHOP.closure(List.of("cache", "catalog"))).containsExactly("db", "cache", "catalog");
    assertThat(SHOP.closure(List.of())).isEmpty();
  }

  @Test
  void unknownName_isRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> SHOP.closure(List.of("payments")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service: 'payments' (expected: one of gateway, orders, catalog, db, cache, worker)");
    assertThatThrownBy(() -> SHOP.dependents("payments")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cycle_isFoundAndNamed() {
    Map<String, List<String>> edges = new LinkedHashMap<>();
    edges.put("a", List.of("x"));
    edges.put("x", List.of());
    edges.put("b", List.of("c"));
    edges.put("c", List.of("d"));
    edges.put("d", List.of("b"));
    assertThat(StackGraph.cycle(edges)).contains(List.of("b", "c", "d", "b"));
    assertThat(StackGraph.cycle(Map.of("a", List.of("a")))).contains(List.of("a", "a"));
    assertThat(StackGraph.cycle(Map.of("a", List.of("b"), "b", List.of()))).isEmpty();
    assertThatThrownBy(() -> graph("a", List.of("b"), "b", List.of("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dependency cycle: a -> b -> a");
  }

  @Test
  void of_stackFile_usesDependsOnIncludingEnvReferences() {
    StackFile stack = new StackFile(Path.of("/s/berth.yaml"), Path.of("/s"), "s-000000",
        StackFile.Kind.BERTH_YAML, List.of(spec("b", List.of("a")), spec("a", List.of())));
    assertThat(StackGraph.of(stack).levels()).containsExactly(List.of("a"), List.of("b"));
    assertThat(stack.name()).isEqualTo("s");
  }

  private static StackGraph graph(Object... namesAndDeps) {
    List<ServiceSpec> specs = new ArrayList<>();
    for (int i = 0; i < namesAndDeps.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> deps = (List<String>) namesAndDeps[i + 1];
      specs.add(spec((String) namesAndDeps[i], deps));
    }
    return StackGraph.of(specs);
  }

  private static ServiceSpec spec(String name, List<String> deps) {
    return new ServiceSpec(name, List.of("true"), Path.of("/s"), Map.of(), List.of("main"), deps,
        Optional.empty(), RestartPolicy.DEFAULT, 1, LeaseMode.RUNNER,
        new SourceMark(Path.of("/s/berth.yaml"), 1, 1));
  }
}
