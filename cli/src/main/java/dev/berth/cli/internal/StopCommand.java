package dev.berth.cli.internal;

import dev.berth.local.internal.StackControl;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth stop [SERVICE...]}: the running supervisor stops those services (they stay
 * stopped until {@code berth restart}); without any, the whole stack, as {@code berth down}.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = {"Stop services of the running stack; they stay stopped until 'berth restart'. "
        + "Without a SERVICE, stop the whole stack (as 'berth down').",
        "The stack is -f FILE's, else the one of the berth.yaml or Procfile in this directory or above."})
public final class StopCommand extends BaseCommand {

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The stack's berth.yaml or Procfile.")
  Path file;

  @Parameters(arity = "0..*", paramLabel = "SERVICE", description = "The services to stop (default: all).")
  List<String> services;

  @Override
  public Integer call() throws InterruptedException {
    CliContext ctx = ctx();
    StackTarget stack = StackTarget.of(spec, ctx, file);
    if (services == null || services.isEmpty()) {
      return DownCommand.down(stack, ctx);
    }
    StackControl control = stack.control(RestartCommand.TIMEOUT);
    for (String service : services) {
      control.stop(service);
      ctx.out().println("stopped " + service);
      ctx.out().flush();
    }
    return 0;
  }
}
