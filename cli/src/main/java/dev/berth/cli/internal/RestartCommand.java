package dev.berth.cli.internal;

import dev.berth.local.internal.StackControl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth restart SERVICE...}: the running supervisor stops every instance of each
 * service and starts it again on the same ports; its dependents keep running.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = {"Restart services of the running stack, on the same ports; their dependents "
        + "keep running.",
        "The stack is -f FILE's, else the one of the berth.yaml or Procfile in this directory or above."})
public final class RestartCommand extends BaseCommand {

  /** A restart stops a process (SIGTERM, a grace period, SIGKILL) before it answers. */
  static final Duration TIMEOUT = Duration.ofMinutes(1);

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The stack's berth.yaml or Procfile.")
  Path file;

  @Parameters(arity = "1..*", paramLabel = "SERVICE", description = "The services to restart.")
  List<String> services;

  @Override
  public Integer call() {
    CliContext ctx = ctx();
    StackControl stack = StackTarget.of(spec, ctx, file).control(TIMEOUT);
    for (String service : services) {
      stack.restart(service);
      ctx.out().println("restarted " + service);
      ctx.out().flush();
    }
    return 0;
  }
}
