package dev.berth.cli.internal.stack;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A stack's services in dependency order, for the supervisor: which start together, which wait,
 * which stop first.
 *
 * <pre>{@code
 * StackGraph graph = StackGraph.of(stack);
 * graph.levels();                       // [[catalog], [orders], [gateway]]
 * graph.closure(Set.of("gateway"));     // [catalog, orders, gateway]: what `berth up gateway` starts
 * graph.stopLevels();                   // [[gateway], [orders], [catalog]]
 * }</pre>
 *
 * <p>Immutable and thread-safe. Lists keep the stack file's order within a level.
 */
public final class StackGraph {

  private final List<String> names;
  private final Map<String, List<String>> dependencies;
  private final Map<String, List<String>> dependents;
  private final Map<String, Integer> depth;

  private StackGraph(Map<String, List<String>> edges) {
    this.names = List.copyOf(edges.keySet());
    Map<String, List<String>> deps = new LinkedHashMap<>();
    Map<String, List<String>> rdeps = new LinkedHashMap<>();
    for (String name : names) {
      rdeps.put(name, new ArrayList<>());
    }
    for (Map.Entry<String, List<String>> e : edges.entrySet()) {
      for (String dep : e.getValue()) {
        if (!edges.containsKey(dep)) {
          throw new IllegalArgumentException("service " + e.getKey() + " depends on '" + dep
              + "' (expected: one of " + String.join(", ", names) + ")");
        }
        rdeps.get(dep).add(e.getKey());
      }
      deps.put(e.getKey(), List.copyOf(e.getValue()));
    }
    Optional<List<String>> cycle = cycle(edges);
    if (cycle.isPresent()) {
      throw new IllegalArgumentException("dependency cycle: " + String.join(" -> ", cycle.get()));
    }
    rdeps.replaceAll((k, v) -> List.copyOf(v));
    this.dependencies = Collections.unmodifiableMap(deps);
    this.dependents = Collections.unmodifiableMap(rdeps);
    Map<String, Integer> depths = new HashMap<>();
    for (String name : names) {
      depthOf(name, depths);
    }
    this.depth = Map.copyOf(depths);
  }

  /** The graph of {@code stack}'s services ({@link StackFiles} has already refused cycles). */
  public static StackGraph of(StackFile stack) {
    return of(stack.services());
  }

  public static StackGraph of(List<ServiceSpec> services) {
    Map<String, List<String>> edges = new LinkedHashMap<>();
    for (ServiceSpec s : services) {
      edges.put(s.name(), s.dependsOn());
    }
    return new StackGraph(edges);
  }

  /**
   * The services grouped by depth: the first level depends on nothing, each later one only on
   * levels before it; a level's services can start in parallel once the levels before are live.
   */
  public List<List<String>> levels() {
    int max = depth.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    List<List<String>> levels = new ArrayList<>();
    for (int d = 0; d <= max; d++) {
      List<String> level = new ArrayList<>();
      for (String name : names) {
        if (depth.get(name) == d) {
          level.add(name);
        }
      }
      levels.add(List.copyOf(level));
    }
    return List.copyOf(levels);
  }

  /** {@link #levels()} flattened: an order in which every service starts after its dependencies. */
  public List<String> startOrder() {
    return levels().stream().flatMap(List::stream).toList();
  }

  /** {@link #levels()} last first: dependents stop before what they depend on. */
  public List<List<String>> stopLevels() {
    List<List<String>> reversed = new ArrayList<>(levels());
    Collections.reverse(reversed);
    return List.copyOf(reversed);
  }

  /** The services {@code name} waits for (its {@code depends_on} and {@code ${...}} targets). */
  public List<String> dependencies(String name) {
    return dependencies.get(known(name));
  }

  /** The services that wait for {@code name}, directly. */
  public List<String> dependents(String name) {
    return dependents.get(known(name));
  }

  /**
   * {@code names} and everything they depend on, transitively, in start order: what
   * {@code berth up SERVICE...} starts.
   *
   * @throws IllegalArgumentException naming a name that is not a service of the stack
   */
  public List<String> closure(Collection<String> wanted) {
    Set<String> in = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>();
    for (String name : wanted) {
      todo.add(known(name));
    }
    while (!todo.isEmpty()) {
      String name = todo.remove(todo.size() - 1);
      if (in.add(name)) {
        todo.addAll(dependencies.get(name));
      }
    }
    return startOrder().stream().filter(in::contains).toList();
  }

  private String known(String name) {
    if (!dependencies.containsKey(name)) {
      throw new IllegalArgumentException("service: '" + name + "' (expected: one of "
          + String.join(", ", names) + ")");
    }
    return name;
  }

  private int depthOf(String name, Map<String, Integer> depths) {
    Integer known = depths.get(name);
    if (known != null) {
      return known;
    }
    int d = 0;
    for (String dep : dependencies.get(name)) {
      d = Math.max(d, depthOf(dep, depths) + 1);
    }
    depths.put(name, d);
    return d;
  }

  /**
   * The first cycle found, walking {@code edges} in their order, as a path that ends where it
   * starts ({@code [a, b, a]}); empty when there is none. Edges to unknown names are ignored.
   */
  static Optional<List<String>> cycle(Map<String, List<String>> edges) {
    Map<String, Integer> state = new HashMap<>(); // absent: not seen, 1: on the path, 2: done
    List<String> path = new ArrayList<>();
    for (String start : edges.keySet()) {
      Optional<List<String>> found = visit(start, edges, state, path);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<List<String>> visit(String node, Map<String, List<String>> edges,
      Map<String, Integer> state, List<String> path) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return Optional.empty();
    }
    if (s != null) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
      cycle.add(node);
      return Optional.of(List.copyOf(cycle));
    }
    state.put(node, 1);
    path.add(node);
    for (String next : edges.getOrDefault(node, List.of())) {
      if (edges.containsKey(next)) {
        Optional<List<String>> found = visit(next, edges, state, path);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    path.remove(path.size() - 1);
    state.put(node, 2);
    return Optional.empty();
  }
}
