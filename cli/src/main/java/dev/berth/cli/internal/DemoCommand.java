package dev.berth.cli.internal;

import dev.berth.registry.BerthRegistry;
import dev.berth.registry.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth demo}: the whole story in about twenty seconds, in a temporary state dir. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run the sample stack (sample-services/berth.yaml: catalog, orders, gateway and a "
        + "Python web page) as berth up does: separate processes in dependency order, one log, calls "
        + "by name; kill -9 one and watch the supervisor bring it back on the same port.",
        "Ends with the URL of the stack's live dashboard (berth dashboard) and, on a terminal, keeps "
            + "the stack up until Enter.",
        "Uses its own registry and a temporary state dir, never yours; leaves nothing running."})
public final class DemoCommand extends BaseCommand {

  @Option(names = "--requests", paramLabel = "N", defaultValue = "200",
      description = "Orders to place through gateway for the latency figures (default: ${DEFAULT-VALUE}).")
  int requests;

  @Option(names = "--ports", paramLabel = "A-B",
      description = "The pool of the demo's registry (default: $BERTH_PORTS, else the span above "
          + "the OS's ephemeral range, e.g. 61000-65535).")
  String ports;

  @Override
  public Integer call() throws Exception {
    if (requests < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--requests: " + requests + " (expected: >= 1)");
    }
    BerthRegistry.Builder registry;
    try {
      registry = Main.pool(BerthRegistry.builder().port(0), ports, System.getenv());
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    return new DemoRun(ctx().out(), ctx().err(), requests, registry).run();
  }
}
