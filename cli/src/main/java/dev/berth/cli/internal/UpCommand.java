package dev.berth.cli.internal;

import dev.berth.cli.internal.stack.ConsoleOutput;
import dev.berth.cli.internal.stack.ControlSocket;
import dev.berth.cli.internal.stack.LogFiles;
import dev.berth.cli.internal.stack.StackFile;
import dev.berth.cli.internal.stack.StackFiles;
import dev.berth.cli.internal.stack.StackGraph;
import dev.berth.cli.internal.stack.StackLock;
import dev.berth.cli.internal.stack.StackOutput;
import dev.berth.cli.internal.stack.Supervisor;
import dev.berth.cli.internal.stack.TeeOutput;
import dev.berth.client.Berth;
import dev.berth.local.internal.StackStateFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code berth up [-f FILE] [-d] [SERVICE...]}: the stack of a {@code berth.yaml} (or
 * {@code Procfile}) as separate processes under one {@link Supervisor}, in the foreground until
 * Ctrl-C, or with {@code -d} in the background ({@link UpDetached}). Starts the registry if none
 * runs. Runs on the command's thread until the stack has stopped.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {
      "Start the stack of ./berth.yaml (or the nearest one above, or a Procfile): every service, "
          + "or those named and what they depend on, in dependency order, each once its "
          + "dependencies are live, restarted per its policy on the same port. In the foreground "
          + "every process's output is shown with its name; Ctrl-C stops all in reverse order "
          + "(SIGTERM, 5 s, then SIGKILL of each process tree; a second Ctrl-C kills at once).",
      "Starts a registry in the background if none runs. The bare registry is "
          + "'berth registry start' / 'berth registry stop'."},
    footerHeading = "%nExamples:%n",
    footer = {"  berth up", "  berth up -d gateway", "  berth up -f ../shop/berth.yaml"})
public final class UpCommand extends BaseCommand {

  @Option(names = {"-f", "--file"}, paramLabel = "FILE",
      description = "The stack file (default: berth.yaml, else Procfile, here or in a parent).")
  Path file;

  @Option(names = {"-d", "--detach"},
      description = "Run the supervisor in the background (output in berth logs; its own in "
          + "<state dir>/stacks/<namespace>/supervisor.log) and return once every service is live.")
  boolean detach;

  /** Set by {@link UpDetached} on the background supervisor it starts: output to the log files only. */
  @Option(names = "--supervisor", hidden = true)
  boolean background;

  @Parameters(paramLabel = "SERVICE", arity = "0..*",
      description = "Start only these, and the services they depend on.")
  List<String> services = new ArrayList<>();

  @Override
  public Integer call() throws IOException, InterruptedException {
    CliContext ctx = ctx();
    StackFile stack = StackFiles.load(Path.of(""), Optional.ofNullable(file));
    try {
      StackGraph.of(stack).closure(services);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    StackStateFile state = StackStateFile.of(ctx.home(), stack.namespace());
    Path socket = state.dir().resolve(StackStateFile.CONTROL_SOCKET).toAbsolutePath();
    try {
      ControlSocket.checkLength(socket); // before anything starts, not after
    } catch (IllegalArgumentException e) {
      throw CliException.failure(e.getMessage(), e);
    }
    if (detach && !background) {
      return UpDetached.start(ctx, stack, state, services);
    }
    try (StackLock lock = StackLock.acquire(state, stack.namespace());
        LogFiles logs = LogFiles.open(LogFiles.dirOf(state.dir()), Clock.systemUTC(), LogFiles.DEFAULT_MAX_BYTES);
        Berth berth = ctx.connectOrStart(stack.namespace())) {
      StackOutput out = background
          ? logs
          : TeeOutput.of(ConsoleOutput.forStack(stack, new PrintStream(System.out, true, StandardCharsets.UTF_8),
              ConsoleOutput.colourWanted()), logs);
      Supervisor supervisor = Supervisor.start(stack, services, berth, ctx, out);
      StackSignals.install(supervisor);
      try (ControlSocket control = ControlSocket.serve(socket, supervisor)) {
        supervisor.controlSocket(control.path().toString());
        out.event("berth", 0, "stack " + stack.namespace() + " from " + stack.file()
            + (background ? "" : "; Ctrl-C stops it"));
        supervisor.awaitStopped();
      } catch (RuntimeException e) {
        supervisor.stopAll();
        throw e;
      }
      out.event("berth", 0, "stack " + stack.namespace() + " stopped");
      return 0;
    }
  }
}
