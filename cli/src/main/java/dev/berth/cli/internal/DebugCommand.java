package dev.berth.cli.internal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code berth debug NAME}: the sticky address of a service's debugger agent, and IDE attach
 * configurations that point at it. (Skeleton: filled in by the IDE change.)
 */
@Command(name = "debug", mixinStandardHelpOptions = true,
    description = "Print the address of NAME's debug endpoint (the same every run).")
public final class DebugCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "The service.")
  String name;

  @Override
  public Integer call() {
    throw CliException.failure("berth debug: not built yet");
  }
}
