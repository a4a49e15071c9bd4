package dev.berth.cli.internal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth demo}: the whole story in about ten seconds, in a temporary state dir. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run catalog, orders and gateway as separate processes that find each other by "
        + "name, call them, kill -9 one and watch it vanish and come back on the same port.",
        "Uses its own registry and a temporary state dir, never yours; leaves nothing running."})
public final class DemoCommand extends BaseCommand {

  @Option(names = "--requests", paramLabel = "N", defaultValue = "200",
      description = "Orders to place through gateway for the latency figures (default: ${DEFAULT-VALUE}).")
  int requests;

  @Override
  public Integer call() throws Exception {
    if (requests < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--requests: " + requests + " (expected: >= 1)");
    }
    return new DemoRun(ctx().out(), requests).run();
  }
}
