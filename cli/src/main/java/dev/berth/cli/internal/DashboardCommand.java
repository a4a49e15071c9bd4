package dev.berth.cli.internal;

import picocli.CommandLine.Command;

/** SKELETON (i14-cli): {@code berth dashboard}: the URL of the registry's live web page. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = "Print the URL of the live dashboard (i14-cli).")
public final class DashboardCommand extends BaseCommand {

  @Override
  public Integer call() {
    throw CliException.failure("berth dashboard: not built yet (i14-cli)");
  }
}
