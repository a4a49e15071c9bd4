package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.stack.ServiceSpec.RestartPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stack files built by hand, and the small programs their services run. */
final class Stacks {

  private Stacks() {}

  /**
   * Python that listens on $PORT on 127.0.0.1 after {@code delaySeconds}, prints its pid, and on
   * SIGTERM appends "NAME <monotonic ns>" to $STOP_LOG before it exits.
   */
  static List<String> listener(String name, double delaySeconds) {
    String py = String.join("\n",
        "import os, signal, socket, sys, time",
        "def bye(*_):",
        "    log = os.environ.get('STOP_LOG')",
        "    if log:",
        "        with open(log, 'a') as f: f.write('" + name + " %d\\n' % time.monotonic_ns())",
        "    sys.exit(0)",
        "signal.signal(signal.SIGTERM, bye)",
        "time.sleep(" + delaySeconds + ")",
        "s = socket.socket()",
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
        "s.bind(('127.0.0.1', int(os.environ['PORT'])))",
        "s.listen()",
        "print('pid', os.getpid(), 'port', os.environ['PORT'], flush=True)",
        "while True: time.sleep(3600)");
    return List.of("python3", "-c", py);
  }

  static ServiceSpec service(String name, List<String> command, Path dir, List<String> dependsOn,
      Map<String, String> env, RestartPolicy restart, ServiceSpec.LeaseMode lease) {
    return new ServiceSpec(name, command, dir, env, List.of("main"), dependsOn, Optional.empty(),
        restart, 1, lease, new SourceMark(dir.resolve("berth.yaml"), 1, 1));
  }

  static ServiceSpec runner(String name, List<String> command, Path dir, String... dependsOn) {
    return service(name, command, dir, List.of(dependsOn), Map.of(), RestartPolicy.DEFAULT,
        ServiceSpec.LeaseMode.RUNNER);
  }

  static RestartPolicy fastRestarts(int maxRestarts) {
    return new RestartPolicy(RestartPolicy.Mode.ON_FAILURE, maxRestarts, Duration.ofSeconds(60),
        Duration.ofMillis(50), Duration.ofMillis(200));
  }

  static StackFile file(Path dir, String namespace, ServiceSpec... services) {
    return new StackFile(dir.resolve("berth.yaml"), dir, namespace, StackFile.Kind.BERTH_YAML,
        List.of(services));
  }
}
