package dev.berth.cli.internal;

import dev.berth.client.internal.HealthProbe;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.RegistryInfo;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;

/** {@code berth registry stop}: stops the registry named by {@code registry.json} (SIGTERM, bounded wait). */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "Stop the registry of the state dir (SIGTERM to the pid in registry.json). "
        + "Its services lose their leases; they re-attach when a registry is back.")
public final class RegistryStopCommand extends BaseCommand {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  @Override
  public Integer call() throws InterruptedException {
    CliContext ctx = ctx();
    Optional<RegistryInfo> file = ctx.registryFile();
    if (file.isEmpty()) {
      ctx.out().println("no berth registry running (no registry.json in " + ctx.home() + ")");
      ctx.out().flush();
      return 0;
    }
    RegistryInfo info = file.get();
    Optional<ProcessHandle> process = ProcessHandle.of(info.getPid());
    if (process.isEmpty() || !process.get().isAlive()) {
      ctx.out().println("no berth registry running (registry.json in " + ctx.home()
          + " names pid " + info.getPid() + ", which is gone)");
      ctx.out().flush();
      return 0;
    }
    if (!HealthProbe.answers(info.getAddress(), HealthProbe.PATIENCE)) {
      // a pid recycled since the registry was killed: not ours to stop
      throw CliException.failure("pid " + info.getPid() + " from " + ctx.home().resolve(StateDir.REGISTRY_JSON)
          + " does not answer on " + info.getAddress() + "; not stopping it");
    }
    process.get().destroy();
    try {
      process.get().onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw CliException.failure("the registry (pid " + info.getPid() + ") did not stop within "
          + STOP_TIMEOUT.toSeconds() + " s; 'kill -9 " + info.getPid() + "' stops it for sure", e);
    } catch (ExecutionException e) {
      throw CliException.failure("waiting for pid " + info.getPid() + ": " + e.getCause(), e);
    }
    ctx.out().println("stopped berth registry on " + info.getAddress() + " (pid " + info.getPid() + ")");
    ctx.out().flush();
    return 0;
  }
}
