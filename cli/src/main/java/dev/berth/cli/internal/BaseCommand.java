package dev.berth.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand has: the global options ({@link GlobalOptions}), as a {@link CliContext}. */
abstract class BaseCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  CliContext ctx() {
    return GlobalOptions.of(spec).context(spec);
  }
}
