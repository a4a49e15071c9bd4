package dev.berth.cli.internal;

import dev.berth.registry.Main;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth registry}: the registry daemon in the foreground (the registry module's Main). */
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
  public Integer call() throws Exception {
    CliContext ctx = ctx();
    List<String> args = new ArrayList<>();
    args.add("--home");
    args.add(ctx.home().toString());
    if (port != null) {
      args.add("--port");
      args.add(port.toString());
    }
    if (defaultPort != null) {
      args.add("--default-port");
      args.add(defaultPort.toString());
    }
    if (ports != null) {
      args.add("--ports");
      args.add(ports);
    }
    ctx.out().flush();
    return Main.run(args.toArray(new String[0]), System.out, System.err);
  }
}
