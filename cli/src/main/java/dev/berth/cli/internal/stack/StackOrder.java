package dev.berth.cli.internal.stack;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which services {@code berth up SERVICE...} runs (those and, transitively, their dependencies)
 * and the order the stack stops in: level by level, dependents before what they depend on. The
 * file is already checked for unknown dependencies and cycles. Stateless.
 */
final class StackOrder {

  private StackOrder() {}

  /** {@code only} and their dependencies, in the file's order; every service when empty. */
  static List<ServiceSpec> selected(StackFile file, Collection<String> only) {
    if (only.isEmpty()) {
      return file.services();
    }
    Set<String> wanted = new LinkedHashSet<>();
    List<String> todo = new ArrayList<>(only);
    while (!todo.isEmpty()) {
      String name = todo.remove(todo.size() - 1);
      ServiceSpec spec = file.service(name).orElseThrow(() -> new IllegalArgumentException(
          "service: '" + name + "' (expected one of "
              + file.services().stream().map(ServiceSpec::name).toList() + " of " + file.file() + ")"));
      if (wanted.add(name)) {
        todo.addAll(spec.dependsOn());
      }
    }
    return file.services().stream().filter(s -> wanted.contains(s.name())).toList();
  }

  /**
   * The stop order: the services nothing depends on first, each level's services together.
   * A service's level is one more than its deepest dependency's.
   */
  static List<List<String>> stopLevels(List<ServiceSpec> services) {
    Map<String, ServiceSpec> byName = new HashMap<>();
    services.forEach(s -> byName.put(s.name(), s));
    Map<String, Integer> levels = new HashMap<>();
    int max = 0;
    for (ServiceSpec s : services) {
      max = Math.max(max, level(s, byName, levels, 0));
    }
    List<List<String>> order = new ArrayList<>();
    for (int l = max; l >= 0; l--) {
      int level = l;
      List<String> names = services.stream().map(ServiceSpec::name)
          .filter(n -> levels.get(n) == level).toList();
      if (!names.isEmpty()) {
        order.add(names);
      }
    }
    return order;
  }

  private static int level(ServiceSpec s, Map<String, ServiceSpec> byName, Map<String, Integer> levels,
      int depth) {
    Integer known = levels.get(s.name());
    if (known != null) {
      return known;
    }
    if (depth > byName.size()) {
      throw new IllegalStateException("depends_on: a cycle through '" + s.name() + "'");
    }
    int level = 0;
    for (String d : s.dependsOn()) {
      ServiceSpec dep = byName.get(d);
      if (dep != null) {
        level = Math.max(level, level(dep, byName, levels, depth + 1) + 1);
      }
    }
    levels.put(s.name(), level);
    return level;
  }
}
