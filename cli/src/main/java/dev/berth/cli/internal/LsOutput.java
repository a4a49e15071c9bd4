package dev.berth.cli.internal;

import dev.berth.local.internal.JsonText;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/**
 * What {@code berth ls} prints, from rows however they were read: the one formatter of both
 * its paths (gRPC, and the fast path's JSON view), so that they print the same bytes. Stateless.
 */
final class LsOutput {

  private LsOutput() {}

  /** The line for an empty table. */
  static String none(String registryAddress) {
    return "no live services (registry " + registryAddress + ")";
  }

  static void table(List<InstanceRow> rows, PrintWriter out, String indent, Instant now) {
    TextTable table = new TextTable("SERVICE", "ENDPOINT", "ADDRESS", "PID", "UPTIME");
    for (InstanceRow r : rows) {
      table.row(r.service, r.endpoint, r.address(), r.pid == 0 ? "-" : r.pid, r.uptime(now));
    }
    table.print(out, indent);
  }

  static void json(List<InstanceRow> rows, PrintWriter out) {
    if (rows.isEmpty()) {
      out.println("[]");
      return;
    }
    out.println("[");
    for (int i = 0; i < rows.size(); i++) {
      InstanceRow r = rows.get(i);
      out.print("  {\"service\": " + JsonText.quote(r.service)
          + ", \"endpoint\": " + JsonText.quote(r.endpoint)
          + ", \"address\": " + JsonText.quote(r.address())
          + ", \"port\": " + r.port
          + ", \"pid\": " + r.pid
          + ", \"instance\": " + JsonText.quote(r.instanceId)
          + ", \"liveSince\": " + (r.liveSince == null ? "null" : JsonText.quote(r.liveSince.toString()))
          + "}");
      out.println(i < rows.size() - 1 ? "," : "");
    }
    out.println("]");
  }
}
