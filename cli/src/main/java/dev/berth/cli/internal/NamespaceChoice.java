package dev.berth.cli.internal;

import dev.berth.cli.internal.stack.StackNamespace;
import dev.berth.local.Namespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which namespace a command means, by the one rule of both CLI paths (picocli's and the
 * launcher's {@link FastPath}): {@code --namespace NS} ({@code -n}), else
 * {@code $BERTH_NAMESPACE}, else the namespace of the stack found from the current directory
 * ({@link StackNamespace}), else the default namespace {@code ""}; the word {@code default}
 * means {@code ""} ({@link Namespace}). {@code berth ls} alone is different: it shows every
 * namespace unless the flag or the variable names one ({@link #filter}).
 *
 * <p>Plain JDK classes, no lambdas (the launcher's cold JVM pays for each). Stateless.
 */
final class NamespaceChoice {

  private NamespaceChoice() {}

  /**
   * The namespace of a command run in {@code cwd} with {@code flag} (null if not given) and
   * {@code env} (the value of {@code $BERTH_NAMESPACE}, null if unset).
   *
   * @throws IllegalArgumentException a bad flag or variable, naming which
   */
  static String of(String flag, String env, Path cwd) {
    String chosen = filter(flag, env);
    if (chosen != null) {
      return chosen;
    }
    Optional<Path> stack = StackNamespace.locate(cwd);
    return stack.isPresent() ? StackNamespace.forDir(stack.get()) : "";
  }

  /** The namespace {@code berth ls} shows: the flag's, else the variable's; null: all of them. */
  static String filter(String flag, String env) {
    if (flag != null) {
      return Namespace.check("--namespace", flag.strip());
    }
    if (env != null && !env.isBlank()) {
      return Namespace.check(Namespace.ENV, env.strip());
    }
    return null;
  }

  /** The rows of {@code namespace} only, in their order. */
  static List<InstanceRow> only(List<InstanceRow> rows, String namespace) {
    List<InstanceRow> kept = new ArrayList<>();
    for (InstanceRow r : rows) {
      if (r.namespace.equals(namespace)) {
        kept.add(r);
      }
    }
    return kept;
  }

  /**
   * The rows a lookup from {@code namespace} finds, as the registry's {@code Resolve} does: for
   * each service endpoint, that namespace's instances when it has any, else the default
   * namespace's, never another's; in their order.
   */
  static List<InstanceRow> visible(List<InstanceRow> rows, String namespace) {
    Set<String> own = new HashSet<>();
    for (InstanceRow r : rows) {
      if (!namespace.isEmpty() && r.namespace.equals(namespace)) {
        own.add(r.service + "/" + r.endpoint);
      }
    }
    List<InstanceRow> kept = new ArrayList<>();
    for (InstanceRow r : rows) {
      boolean mine = r.namespace.equals(namespace);
      boolean shared = r.namespace.isEmpty() && !own.contains(r.service + "/" + r.endpoint);
      if (mine || shared) {
        kept.add(r);
      }
    }
    return kept;
  }

  /** Whether any row is outside the default namespace: then {@code ls} shows a NAMESPACE column. */
  static boolean anyNamed(List<InstanceRow> rows) {
    for (InstanceRow r : rows) {
      if (!r.namespace.isEmpty()) {
        return true;
      }
    }
    return false;
  }
}
