package dev.berth.cli.internal;

import dev.berth.registry.BerthRegistry;
import dev.berth.registry.RegistryDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code berth registry}: the registry daemon in the foreground. Its options configure a
 * {@link BerthRegistry.Builder} directly; running it (the line saying where it listens,
 * SIGTERM/SIGINT, exit codes) is {@link RegistryDaemon}'s, as for the registry module's Main.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
    description = {"Run the registry in the foreground until SIGINT/SIGTERM.",
        "Prints 'berth registry listening on 127.0.0.1:PORT (state DIR)' when ready."})
public final class RegistryCommand extends BaseCommand {

  @Mixin
  DaemonOptions daemon;

  @Override
  public Integer call() {
    BerthRegistry.Builder builder = daemon.configure(BerthRegistry.builder(), System.getenv());
    CliContext ctx = ctx();
    ctx.out().flush();
    return RegistryDaemon.run(builder.stateDir(ctx.home()), System.out, System.err);
  }
}
