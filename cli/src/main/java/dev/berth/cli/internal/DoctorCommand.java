package dev.berth.cli.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.berth.cli.internal.doctor.Doctor;
import dev.berth.cli.internal.doctor.DoctorText;
import dev.berth.cli.internal.doctor.RegistryReader;
import dev.berth.proto.v1.DoctorReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth doctor [--json]}: this machine's local networking and Berth's state, checked the
 * way a senior engineer would, each finding one line with its fix ({@link Doctor}). Exit 0 when
 * no finding is a problem, 1 when one is. Changes nothing, starts no registry.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = {"Check this machine's listeners and Berth's state dir; one line per finding, with the fix.",
      "Listeners on 0.0.0.0 or :: (reachable from other machines), servers on 127.0.0.1 only or ::1 "
          + "only while localhost resolves the other way first, other processes on remembered berths, "
          + "the state dir's and token's owner and mode, a stale registry.json, an unreadable "
          + "berths.json, a pool inside the kernel's ephemeral range. Exit 0: no problem; 1: a problem."})
public final class DoctorCommand extends BaseCommand {

  @Option(names = "--json", description = "The report as JSON (berth.v1.DoctorReport, proto3 JSON).")
  boolean json;

  @Override
  public Integer call() {
    CliContext ctx = ctx();
    DoctorReport report = Doctor.system().examine(RegistryReader.read(ctx, System.getenv()));
    if (json) {
      try {
        ctx.out().println(JsonFormat.printer().print(report));
      } catch (InvalidProtocolBufferException e) {
        throw CliException.failure("berth doctor: cannot print the report as JSON: " + e.getMessage(), e);
      }
    } else {
      DoctorText.print(report, ctx.out());
    }
    ctx.out().flush();
    return report.getOk() ? 0 : 1;
  }
}
