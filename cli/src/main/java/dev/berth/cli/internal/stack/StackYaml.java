package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.stack.ServiceReader.Dependency;
import dev.berth.cli.internal.stack.ServiceReader.Draft;
import dev.berth.cli.internal.stack.ServiceReader.EnvRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a berth.yaml into a {@link StackFile}. It works on SnakeYAML Engine's node tree (YAML
 * 1.2, core schema: {@code no} is a string, not false) rather than on loaded maps, so that every
 * error names the line and column of the key or value that is wrong. The first error found, in
 * the file's order, is the one reported.
 *
 * <p>Thread-safe (stateless); each call is confined to its thread.
 */
final class StackYaml {

  static final String SERVICES_SHAPE = "a map of service name to its command, dir, env, endpoints, "
      + "depends_on, ready, restart, instances, lease and debug";

  private StackYaml() {}

  /**
   * @param file absolute
   * @param environment the runner's environment (its {@code PATH} finds commands)
   */
  static StackFile read(Path file, String text, Map<String, String> environment) {
    YamlNodes nodes = new YamlNodes(file);
    Node root = compose(nodes, text);
    Path dir = file.getParent();
    String name = dir.getFileName() == null ? "stack" : dir.getFileName().toString();
    Node services = null;
    Node servicesKey = null;
    for (YamlNodes.Entry e : nodes.map(root, "berth.yaml", "a map with services:")) {
      switch (e.key()) {
        case "name" -> name = nodes.nonEmpty(e.value(), "name", "a name for the stack, shown by berth ps");
        case "services" -> {
          services = e.value();
          servicesKey = e.keyNode();
        }
        default -> {
          if (!e.key().startsWith(StackKeys.EXTENSION_PREFIX)) {
            throw nodes.error(e.keyNode(), StackKeys.unknown("berth.yaml", e.key(), StackKeys.TOP));
          }
        }
      }
    }
    if (services == null) {
      throw nodes.error(root, "berth.yaml: no services (expected: services: " + SERVICES_SHAPE + ")");
    }
    ServiceReader reader = new ServiceReader(nodes, dir, environment);
    Map<String, Draft> drafts = new LinkedHashMap<>();
    for (YamlNodes.Entry e : nodes.map(services, "services", SERVICES_SHAPE)) {
      drafts.put(e.key(), reader.read(e.key(), e.keyNode(), e.value()));
    }
    if (drafts.isEmpty()) {
      throw nodes.error(servicesKey, "services: none (expected: " + SERVICES_SHAPE + ")");
    }
    Map<String, List<String>> edges = dependencies(nodes, drafts);
    checkCycles(nodes, drafts, edges);
    List<ServiceSpec> specs = new ArrayList<>();
    for (Draft d : drafts.values()) {
      specs.add(new ServiceSpec(d.name(), d.command(), d.dir(), d.env(), d.endpoints(),
          edges.get(d.name()), d.ready(), d.restart(), d.instances(), d.lease(),
          nodes.mark(d.keyNode()), d.debug()));
    }
    return new StackFile(file, dir, StackNamespace.forDir(dir), StackFile.Kind.BERTH_YAML, specs,
        name);
  }

  private static Node compose(YamlNodes nodes, String text) {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(nodes.file().toString())
        .setSchema(new CoreSchema())
        // composed, then refused with their line and column by YamlNodes.map
        .setAllowNonScalarKeys(true)
        .build();
    Optional<Node> root;
    try {
      root = new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      SourceMark problemAt = e.getProblemMark().map(nodes::mark).orElse(null);
      SourceMark contextAt = e.getContextMark().map(nodes::mark).orElse(null);
      String problem = e.getProblem() == null ? "" : e.getProblem();
      String context = e.getContext() == null ? ""
          : " (" + e.getContext() + (contextAt == null ? "" : " at " + contextAt.line() + ":"
              + contextAt.column()) + ")";
      SourceMark at = problemAt != null ? problemAt
          : contextAt != null ? contextAt : new SourceMark(nodes.file(), 1, 1);
      throw new StackFileException(at, "not YAML: " + oneLine(problem + context));
    } catch (YamlEngineException e) {
      throw new StackFileException(nodes.file() + ": not YAML: " + oneLine(String.valueOf(e.getMessage())));
    }
    return root.orElseThrow(() -> new StackFileException(nodes.file()
        + ": empty (expected: a map with services: " + SERVICES_SHAPE + ")"));
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  /**
   * Each service's dependencies: its {@code depends_on}, which must name services of this file,
   * then the services of this file its {@code ${...}} values name (others are left to the
   * registry), whose endpoints must exist.
   */
  private static Map<String, List<String>> dependencies(YamlNodes nodes, Map<String, Draft> drafts) {
    Map<String, List<String>> edges = new LinkedHashMap<>();
    for (Draft d : drafts.values()) {
      Set<String> deps = new LinkedHashSet<>();
      for (Dependency dep : d.dependsOn()) {
        if (!drafts.containsKey(dep.service())) {
          List<String> others = new ArrayList<>(drafts.keySet());
          others.remove(d.name());
          throw nodes.error(dep.node(), "services." + d.name() + ".depends_on: '" + dep.service()
              + "' is not a service of this file " + StackKeys.nearest(dep.service(), others)
                  .map(n -> "(did you mean '" + n + "'?)")
                  .orElse("(expected: one of " + String.join(", ", others) + ")"));
        }
        deps.add(dep.service());
      }
      for (EnvRef ref : d.refs()) {
        Draft target = drafts.get(ref.ref().service());
        if (target == null) {
          continue;
        }
        if (!target.endpoints().contains(ref.ref().endpoint())) {
          throw nodes.error(ref.valueNode(), "services." + d.name() + ".env." + ref.variable() + ": "
              + target.name() + " has no endpoint '" + ref.ref().endpoint() + "' (expected: one of "
              + String.join(", ", target.endpoints()) + ", as in ${" + target.name() + "/"
              + target.endpoints().get(0) + "})");
        }
        deps.add(target.name());
      }
      edges.put(d.name(), List.copyOf(deps));
    }
    return edges;
  }

  private static void checkCycles(YamlNodes nodes, Map<String, Draft> drafts,
      Map<String, List<String>> edges) {
    Optional<List<String>> cycle = StackGraph.cycle(edges);
    if (cycle.isEmpty()) {
      return;
    }
    List<String> path = cycle.get();
    Draft from = drafts.get(path.get(0));
    String to = path.get(1);
    String where = "services." + from.name() + ".depends_on";
    Node at = from.keyNode();
    Optional<Dependency> explicit = from.dependsOn().stream().filter(x -> x.service().equals(to)).findFirst();
    if (explicit.isPresent()) {
      at = explicit.get().node();
    } else {
      for (EnvRef ref : from.refs()) {
        if (ref.ref().service().equals(to)) {
          where = "services." + from.name() + ".env." + ref.variable();
          at = ref.valueNode();
          break;
        }
      }
    }
    throw nodes.error(at, where + ": dependency cycle " + String.join(" -> ", path)
        + " (expected: services that do not wait for each other; a ${...} value is a dependency"
        + " too; drop one of these)");
  }
}
