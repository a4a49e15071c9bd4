package dev.berth.cli.internal;

import dev.berth.cli.internal.stack.ServiceSpec;
import dev.berth.cli.internal.stack.StackFile;
import dev.berth.cli.internal.stack.StackFiles;
import dev.berth.samples.SampleProcess;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack {@code berth demo} runs: {@code sample-services/berth.yaml} of the checkout this
 * berth.jar was built in, exactly as {@code berth up} reads it, with one variable added to
 * every service's environment, {@link SampleProcess#PARENT_PID_ENV}, so that no process of the
 * demo outlives it, not even after a {@code kill -9} of the demo. Stateless.
 */
final class DemoStack {

  private DemoStack() {}

  /**
   * The sample stack, read and checked before anything starts.
   *
   * @throws CliException naming where it looked when this jar is not in a checkout of Berth
   */
  static StackFile load() {
    Path file = locate().orElseThrow(() -> CliException.failure("no sample-services/berth.yaml beside "
        + codeSource().map(Path::toString).orElse("this berth.jar") + " (berth demo runs the samples"
        + " of the Berth checkout it was built in; run it as bin/berth demo there)"));
    StackFile stack = StackFiles.load(file.getParent(), Optional.of(file));
    String pid = Long.toString(ProcessHandle.current().pid());
    List<ServiceSpec> services = new ArrayList<>();
    for (ServiceSpec s : stack.services()) {
      Map<String, String> env = new LinkedHashMap<>(s.env());
      env.put(SampleProcess.PARENT_PID_ENV, pid);
      services.add(new ServiceSpec(s.name(), s.command(), s.dir(), env, s.endpoints(), s.dependsOn(),
          s.ready(), s.restart(), s.instances(), s.lease(), s.mark(), s.debug()));
    }
    return new StackFile(stack.file(), stack.dir(), stack.namespace(), stack.kind(), services, stack.name());
  }

  /** {@code <checkout>/sample-services/berth.yaml}, the checkout being berth.jar's {@code ../..}. */
  static Optional<Path> locate() {
    return codeSource()
        .map(jar -> jar.getParent().getParent().getParent().resolve("sample-services").resolve("berth.yaml"))
        .filter(Files::isRegularFile);
  }

  /** berth.jar (or, in a test, {@code cli/target/classes}). */
  private static Optional<Path> codeSource() {
    try {
      Path p = Path.of(DemoStack.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toAbsolutePath();
      return p.getParent() != null && p.getParent().getParent() != null ? Optional.of(p) : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
