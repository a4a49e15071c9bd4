package dev.berth.cli.internal;

import dev.berth.cli.internal.stack.OrphanSweep;
import dev.berth.cli.internal.stack.StackFile;
import dev.berth.local.internal.StackStateFile;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code berth up -d}: the same supervisor as a background process of its own session
 * ({@code setsid}, so the terminal's signals and its closing do not reach it), its stdout and
 * stderr in {@code supervisor.log}, its services' output in their log files only. This process
 * returns once stack.json (the supervisor's, by pid) says every service is live (0), or one
 * failed, the supervisor exited, or the wait ran out (1, naming it and {@code berth logs}).
 * Runs on the command's thread; reads stack.json every 100 ms while it waits.
 */
final class UpDetached {

  static final String LOG = "supervisor.log";
  /** Every service gets its start timeout, and a restart or two. */
  private static final Duration WAIT = Duration.ofSeconds(120);
  /**
   * The supervisor lives as long as the stack, like the registry, and holds as little: the
   * daemon's flags (small heap, C1 only, serial GC).
   */
  private static final List<String> JVM_FLAGS = dev.berth.local.RegistryLauncher.JVM_FLAGS;

  private UpDetached() {}

  static int start(CliContext ctx, StackFile stack, StackStateFile state, List<String> services)
      throws IOException, InterruptedException {
    OrphanSweep.refuseIfUp(state);
    Path dir = state.createDir();
    Path log = dir.resolve(LOG);
    if (!Files.exists(log)) { // 0600 like every file of the state dir
      Files.createFile(log, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    }
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.addAll(JavaCommand.of(JVM_FLAGS, "dev.berth.cli.BerthCli"));
    command.addAll(List.of("--home", ctx.home().toString()));
    ctx.registryOverride().ifPresent(r -> command.addAll(List.of("--registry", r)));
    command.addAll(List.of("up", "--supervisor", "-f", stack.file().toString()));
    command.addAll(services);
    Process supervisor = new ProcessBuilder(command)
        .directory(stack.dir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    return await(ctx, stack, state, supervisor, log);
  }

  private static int await(CliContext ctx, StackFile stack, StackStateFile state, Process supervisor,
      Path log) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    StackState last = null;
    while (System.nanoTime() < deadline) {
      Optional<StackState> read = read(state);
      if (read.isPresent() && read.get().getSupervisorPid() == supervisor.pid()) {
        last = read.get();
        Optional<StackProcess> failed = last.getProcessesList().stream()
            .filter(p -> p.getState().equals("failed") || p.getState().equals("exited")).findFirst();
        if (failed.isPresent()) {
          StackProcess p = failed.get();
          return fail(ctx, p.getService() + " " + p.getState() + (p.getDetail().isEmpty() ? "" : ": "
              + p.getDetail()) + "; the stack keeps running (berth logs " + p.getService()
              + ", berth down)");
        }
        if (last.getProcessesCount() > 0
            && last.getProcessesList().stream().allMatch(p -> p.getState().equals("live"))) {
          ctx.out().println("berth: stack " + stack.namespace() + " is up (supervisor pid "
              + supervisor.pid() + "): " + last.getProcessesList().stream()
                  .map(p -> p.getService() + (p.getPortsCount() > 0 ? " " + p.getPortsMap().values().iterator().next() : ""))
                  .collect(Collectors.joining(", ")) + "; berth ps, berth logs, berth down");
          ctx.out().flush();
          return 0;
        }
      }
      if (!supervisor.isAlive()) {
        return fail(ctx, "the supervisor exited with code " + supervisor.exitValue() + RegistryStartCommand.lastLine(log)
            + " (log " + log + ")");
      }
      Thread.sleep(100);
    }
    String waiting = last == null ? "every service" : last.getProcessesList().stream()
        .filter(p -> !p.getState().equals("live")).map(StackProcess::getService).distinct()
        .collect(Collectors.joining(", "));
    return fail(ctx, "not live within " + WAIT.toSeconds() + " s: " + waiting
        + "; the stack keeps running (berth ps, berth logs, berth down)");
  }

  private static int fail(CliContext ctx, String message) {
    ctx.err().println("berth: " + message);
    ctx.err().flush();
    return 1;
  }

  private static Optional<StackState> read(StackStateFile state) {
    try {
      return state.read();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
