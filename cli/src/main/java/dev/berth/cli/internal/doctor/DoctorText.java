package dev.berth.cli.internal.doctor;

import dev.berth.proto.v1.DoctorReport;
import dev.berth.proto.v1.Finding;
import java.io.PrintWriter;

/**
 * {@code berth doctor}'s text: one line per finding ({@code problem: ...: fix: ...},
 * {@code note: ...}), then one summary line. Stateless.
 */
public final class DoctorText {

  private DoctorText() {}

  public static void print(DoctorReport report, PrintWriter out) {
    for (Finding f : report.getFindingsList()) {
      out.println(line(f));
    }
    out.println(summary(report));
  }

  /** {@code problem: MESSAGE: fix: FIX}; a note without a fix has none. */
  static String line(Finding f) {
    String kind = f.getSeverity() == Finding.Severity.PROBLEM ? "problem" : "note";
    return kind + ": " + f.getMessage() + (f.getFix().isEmpty() ? "" : ": fix: " + f.getFix());
  }

  /** {@code berth doctor: 2 problems, 1 note (state dir ..., registry running; localhost: 127.0.0.1)}. */
  static String summary(DoctorReport report) {
    long problems = report.getFindingsList().stream()
        .filter(f -> f.getSeverity() == Finding.Severity.PROBLEM).count();
    long notes = report.getFindingsCount() - problems;
    String counts = problems == 0 ? "no problems" : problems + " problem" + (problems == 1 ? "" : "s");
    if (notes > 0) {
      counts += ", " + notes + " note" + (notes == 1 ? "" : "s");
    }
    String localhost = report.getLocalhostCount() == 0 ? "nothing" : String.join(", ", report.getLocalhostList());
    return "berth doctor: " + counts + " (state dir " + report.getStateDir() + ", registry "
        + (report.getRegistryRunning() ? "running" : "not running") + "; localhost is " + localhost + ")";
  }
}
