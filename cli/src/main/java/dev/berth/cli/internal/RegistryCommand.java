package dev.berth.cli.internal;

import dev.berth.registry.BerthRegistry;
import dev.berth.registry.RegistryDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code berth registry}: the registry daemon in the foreground. Its options configure a
 * {@link BerthRegistry.Builder} directly; running it (the line saying where it listens,
 * SIGTERM/SIGINT, exit codes) is {@link RegistryDaemon}'s, as for the registry module's Main.
 * Its subcommands {@code start} and {@code stop} run one in the background instead (they were
 * {@code berth up} / {@code berth down} before those named a stack).
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
    description = {"Run the registry in the foreground until SIGINT/SIGTERM.",
        "Prints 'berth registry listening on 127.0.0.1:PORT (state DIR)' when ready.",
        "'berth registry start' runs one in the background, 'berth registry stop' stops it."},
    subcommands = {RegistryStartCommand.class, RegistryStopCommand.class})
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
