package dev.berth.cli.internal;

import dev.berth.cli.BerthCli;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand has: the global options, as a {@link CliContext}. */
abstract class BaseCommand implements Callable<Integer> {

  @ParentCommand
  BerthCli root;

  @Spec
  CommandSpec spec;

  CliContext ctx() {
    return root.context(spec);
  }
}
