package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.DebugRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One service of a stack file, validated.
 *
 * @param name a DNS label, the service name it registers as
 * @param command the argv; a string in the file becomes {@code [sh, -c, string]}
 * @param dir the working directory, absolute
 * @param env extra environment, in the file's order; values may hold {@code ${...}} references
 *     ({@link EnvTemplate}), expanded when the process starts
 * @param endpoints endpoint names (DNS labels), {@code [main]} by default; the first is the one
 *     {@code $PORT} gets
 * @param dependsOn services of the same stack started (and live) before this one, plus every
 *     service of the stack its env names
 * @param ready a check beyond the lease being live, if any
 * @param restart what to do when it exits
 * @param instances how many copies run (each its own process and instance; callers round-robin)
 * @param lease who holds the lease
 * @param mark where the service's key is in the file
 * @param debug the debugger agent started on the instance's sticky {@code debug} endpoint
 *     ({@code debug:} in the file), if any
 */
public record ServiceSpec(
    String name,
    List<String> command,
    Path dir,
    Map<String, String> env,
    List<String> endpoints,
    List<String> dependsOn,
    Optional<ReadyCheck> ready,
    RestartPolicy restart,
    int instances,
    LeaseMode lease,
    SourceMark mark,
    Optional<DebugRuntime> debug) {

  /** A service without a debugger agent. */
  public ServiceSpec(String name, List<String> command, Path dir, Map<String, String> env,
      List<String> endpoints, List<String> dependsOn, Optional<ReadyCheck> ready,
      RestartPolicy restart, int instances, LeaseMode lease, SourceMark mark) {
    this(name, command, dir, env, endpoints, dependsOn, ready, restart, instances, lease, mark,
        Optional.empty());
  }

  public ServiceSpec {
    command = List.copyOf(command);
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    endpoints = List.copyOf(endpoints);
    dependsOn = List.copyOf(dependsOn);
  }

  /** Who registers the instance. */
  public enum LeaseMode {
    /**
     * The runner holds the lease, as {@code berth run} does, and the program binds {@code $PORT}
     * / {@code $BERTH_PORT_<ENDPOINT>} (any program: Node, Python, a jar without Berth).
     */
    RUNNER,
    /**
     * The program joins Berth itself through the library (in {@code $BERTH_NAMESPACE}); the
     * runner waits for its lease, matched by the process's pid or a descendant's.
     */
    SELF
  }

  /** A check that must pass, after the lease is live, before dependents start. */
  public record ReadyCheck(Kind kind, String endpoint, String path, Duration timeout) {
    public enum Kind {
      /** GET http://ADDRESS/path answers 2xx or 3xx. */
      HTTP,
      /** A TCP connect to the endpoint's address succeeds. */
      TCP
    }
  }

  /**
   * When to restart, and when to give up.
   *
   * @param maxRestarts a crash loop: more than this many restarts within {@code window} and the
   *     service is left failed
   * @param backoff the first delay before a restart; doubled each time, up to {@code maxBackoff};
   *     back to {@code backoff} after a run that lasted longer than {@code window}
   */
  public record RestartPolicy(Mode mode, int maxRestarts, Duration window, Duration backoff,
      Duration maxBackoff) {
    public enum Mode { NO, ON_FAILURE, ALWAYS }

    public static final RestartPolicy DEFAULT = new RestartPolicy(Mode.ON_FAILURE, 5,
        Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofSeconds(10));
  }
}
