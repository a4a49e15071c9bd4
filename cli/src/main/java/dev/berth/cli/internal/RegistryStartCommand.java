package dev.berth.cli.internal;

import dev.berth.client.internal.HealthProbe;
import dev.berth.local.RegistryLauncher;
import dev.berth.local.StateDir;
import dev.berth.local.StateDirRefusedException;
import dev.berth.proto.v1.RegistryInfo;
import dev.berth.registry.internal.PortHolders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code berth registry start}: a registry in the background; returns once it answers. A registry that
 * holds the state dir's lifetime lock is there even when slow to answer: this waits for it
 * rather than start a second one. When the preferred port 62893 is taken, says who holds it.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = {"Start a registry in the background (output in <state dir>/registry.log) and "
        + "return once it answers. Does nothing if one already runs."})
public final class RegistryStartCommand extends BaseCommand {

  private static final Duration START_TIMEOUT = RegistryLauncher.START_TIMEOUT;

  @Mixin
  DaemonOptions daemon;

  @Override
  public Integer call() throws IOException, InterruptedException {
    daemon.check(System.getenv()); // a usage error even when a registry already runs
    Integer port = daemon.port();
    Integer defaultPort = daemon.defaultPort();
    CliContext ctx = ctx();
    Path home = ctx.home();
    Optional<RegistryInfo> running = readInfo(ctx)
        .filter(info -> HealthProbe.answers(info.getAddress(), HealthProbe.PATIENCE));
    if (running.isPresent()) {
      ctx.out().println("berth registry already running on " + running.get().getAddress()
          + " (pid " + running.get().getPid() + ", state " + home + ")");
      ctx.out().flush();
      return 0;
    }

    StateDir state;
    try {
      state = StateDir.of(home).prepare(); // 0700, or refused with the fix
    } catch (StateDirRefusedException e) {
      throw CliException.failure(e.getMessage(), e);
    }
    if (state.registryRunning()) {
      // the lifetime lock is the truth: a registry runs here, only slow to answer
      RegistryInfo info = awaitAnswer(ctx, state, null, home.resolve(StateDir.LOG));
      ctx.out().println("berth registry already running on " + info.getAddress()
          + " (pid " + info.getPid() + ", state " + home + ")");
      ctx.out().flush();
      return 0;
    }
    RegistryLauncher launcher = RegistryLauncher.of(state);
    if (port != null) {
      launcher.port(port);
    }
    if (defaultPort != null) {
      launcher.defaultPort(defaultPort);
    }
    if (daemon.ports() != null) {
      launcher.ports(daemon.ports());
    }
    Path log = launcher.log();
    Process process = launcher.start();

    RegistryInfo info = awaitAnswer(ctx, state, process, log);
    int wanted = defaultPort != null ? defaultPort : RegistryLauncher.DEFAULT_PORT;
    if (port == null && !info.getAddress().endsWith(":" + wanted)) {
      String holder = PortHolders.system().find(wanted)
          .map(PortHolders.Holder::describe).orElse("another process");
      ctx.out().println("berth: port " + wanted + " is held by " + holder + "; listening on another");
    }
    ctx.out().println("berth registry listening on " + info.getAddress()
        + " (pid " + info.getPid() + ", state " + home + ", log " + log + ")");
    ctx.out().flush();
    return 0;
  }

  /**
   * Waits, bounded, for the registry of the state dir to answer: the one just started
   * ({@code process}), or with {@code process} null the one that holds the lifetime lock. A
   * started registry that exits because another one took the lock first (a second
   * {@code berth registry start}, a client's auto-start) hands over to that one: the lock is the truth.
   */
  private static RegistryInfo awaitAnswer(CliContext ctx, StateDir state, Process process, Path log)
      throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<RegistryInfo> info = readInfo(ctx);
      if (info.isPresent() && ProcessHandle.of(info.get().getPid()).isPresent()
          && HealthProbe.answers(info.get().getAddress(), Duration.ofSeconds(1))) {
        return info.get();
      }
      if (process != null && !process.isAlive() && process.exitValue() != 0) {
        if (!state.registryRunning()) {
          throw CliException.failure("the registry exited with code " + process.exitValue()
              + lastLine(log) + " (log " + log + ")");
        }
        process = null; // it lost the lock to a registry started at the same moment: wait for that
      } else if (process == null && !state.registryRunning()) {
        throw CliException.failure("the registry holding " + state.file(StateDir.LIFETIME_LOCK)
            + " exited before it answered (log " + log + ")");
      }
      Thread.sleep(50);
    }
    if (process == null) {
      throw CliException.failure("a registry holds " + state.file(StateDir.LIFETIME_LOCK)
          + " but did not answer within " + START_TIMEOUT.toSeconds() + " s; not starting a second"
          + " one (log " + log + ")");
    }
    process.destroy();
    throw CliException.failure("the registry did not answer within " + START_TIMEOUT.toSeconds()
        + " s (log " + log + ")");
  }

  /** registry.json, or empty while it cannot be read: the registry moves a bad one aside. */
  private static Optional<RegistryInfo> readInfo(CliContext ctx) {
    try {
      return ctx.registryFile();
    } catch (CliException e) {
      return Optional.empty();
    }
  }

  static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return ": " + lines.get(i).strip();
        }
      }
    } catch (IOException e) {
      // the log is only a hint
    }
    return "";
  }
}
