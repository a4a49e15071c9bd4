package dev.berth.cli.internal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth doctor [--json]}: this machine's local networking and Berth's state, checked the
 * way a senior engineer would, each finding one line with its fix. Exit 0 when all is well, 1
 * when something needs fixing. (Skeleton: filled in by the doctor change.)
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Check this machine's listeners and Berth's state dir; one line per finding, with the fix.")
public final class DoctorCommand extends BaseCommand {

  @Option(names = "--json", description = "The report as JSON (berth.v1.DoctorReport).")
  boolean json;

  @Override
  public Integer call() {
    throw CliException.failure("berth doctor: not built yet");
  }
}
