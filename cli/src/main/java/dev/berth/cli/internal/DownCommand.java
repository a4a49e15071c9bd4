package dev.berth.cli.internal;

import dev.berth.local.internal.ProcStat;
import dev.berth.proto.v1.StackState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth down}: the running supervisor stops the whole stack in reverse dependency order
 * and exits; this returns once it has (bounded). A stack that is not up is not an error.
 * (The bare background registry is stopped by {@code berth registry stop}.)
 */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = {"Stop the whole running stack (in reverse dependency order) and wait until its "
        + "supervisor has exited. 'berth registry stop' stops a background registry.",
        "The stack is -f FILE's, else the one of the berth.yaml or Procfile in this directory or above."})
public final class DownCommand extends BaseCommand {

  /** Every service's grace period, in reverse order, fits in this. */
  static final Duration TIMEOUT = Duration.ofMinutes(2);
  /** After it answered, the supervisor closes its socket and exits. */
  static final Duration EXIT_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration EXIT_POLL = Duration.ofMillis(20);

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The stack's berth.yaml or Procfile.")
  Path file;

  @Override
  public Integer call() throws InterruptedException {
    CliContext ctx = ctx();
    return down(StackTarget.of(spec, ctx, file), ctx);
  }

  /** Stops {@code stack}, waits for its supervisor to exit, says so; 0, or a failure. */
  static int down(StackTarget stack, CliContext ctx) throws InterruptedException {
    Optional<StackState> last = stack.lastState();
    if (last.isEmpty() || !StackTarget.supervisorRuns(last.get())) {
      ctx.out().println(last.isEmpty() ? stack.notUp() : stack.notRunning(last.get()));
      ctx.out().flush();
      return 0;
    }
    long pid = last.get().getSupervisorPid();
    Optional<ProcessHandle> supervisor = ProcessHandle.of(pid);
    stack.control(TIMEOUT).stopAll();
    long ticks = last.get().getSupervisorStartTicks();
    if (ticks > 0) {
      // not our child: the JDK's onExit polls such a process with growing sleeps (seconds after
      // it is gone), and a zombie nobody reaps would count as alive
      long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
      while (ProcStat.runs(pid, ticks)) {
        if (System.nanoTime() > deadline) {
          throw CliException.failure("stack " + stack.namespace() + " stopped, but its supervisor (pid "
              + pid + ") did not exit within " + EXIT_TIMEOUT.toSeconds() + " s; 'kill " + pid + "' ends it");
        }
        Thread.sleep(EXIT_POLL.toMillis());
      }
    } else if (supervisor.isPresent()) {
      try {
        supervisor.get().onExit().get(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw CliException.failure("stack " + stack.namespace() + " stopped, but its supervisor (pid " + pid
            + ") did not exit within " + EXIT_TIMEOUT.toSeconds() + " s; 'kill " + pid + "' ends it", e);
      } catch (ExecutionException e) {
        throw CliException.failure("waiting for pid " + pid + ": " + e.getCause(), e);
      }
    }
    ctx.out().println("stopped stack " + stack.namespace() + " (supervisor pid " + pid + ")");
    ctx.out().flush();
    return 0;
  }
}
