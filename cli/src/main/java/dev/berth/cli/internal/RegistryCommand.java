package dev.berth.cli.internal;

import dev.berth.registry.BerthRegistry;
import dev.berth.registry.Main;
import dev.berth.registry.RegistryDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code berth registry}: the registry daemon in the foreground. Its options configure a
 * {@link BerthRegistry.Builder} directly; running it (the line saying where it listens,
 * SIGTERM/SIGINT, exit codes) is {@link RegistryDaemon}'s, as for the registry module's Main.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
    description = {"Run the registry in the foreground until SIGINT/SIGTERM.",
        "Prints 'berth registry listening on 127.0.0.1:PORT (state DIR)' when ready."})
public final class RegistryCommand extends BaseCommand {

  @Option(names = "--port", paramLabel = "N",
      description = "Port to listen on (default 62893, another if that is taken; 0: any free port).")
  Integer port;

  /** The port wanted when --port is not given, with the same fallback: for tests, never 62893. */
  @Option(names = "--default-port", paramLabel = "N", hidden = true)
  Integer defaultPort;

  @Option(names = "--ports", paramLabel = "A-B",
      description = "The pool of ports to hand out (default: $BERTH_PORTS, else the span above "
          + "the OS's ephemeral range, e.g. 61000-65535).")
  String ports;

  @Override
  public Integer call() {
    BerthRegistry.Builder builder = BerthRegistry.builder();
    if (port != null) {
      builder.port(checkPort("--port", port));
    }
    if (defaultPort != null) {
      builder.defaultPort(checkPort("--default-port", defaultPort));
    }
    try {
      Main.pool(builder, ports, System.getenv()); // --ports, else $BERTH_PORTS
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    CliContext ctx = ctx();
    ctx.out().flush();
    return RegistryDaemon.run(builder.stateDir(ctx.home()), System.out, System.err);
  }

  private int checkPort(String option, int value) {
    if (value < 0 || value > 65535) {
      throw new ParameterException(spec.commandLine(), option + ": " + value + " (expected: 0..65535)");
    }
    return value;
  }
}
