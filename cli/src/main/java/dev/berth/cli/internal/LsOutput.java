package dev.berth.cli.internal;

import dev.berth.local.Namespace;
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

  /** The line for an empty table; {@code namespace}: the one shown, null when all are. */
  static String none(String registryAddress, String namespace) {
    return "no live services" + (namespace == null ? "" : " in namespace " + Namespace.display(namespace))
        + " (registry " + registryAddress + ")";
  }

  /**
   * The table; with a NAMESPACE column first ({@code -} for the default namespace) when any row
   * is in a namespace of its own, so that output outside every stack looks as it always did.
   */
  static void table(List<InstanceRow> rows, PrintWriter out, String indent, Instant now) {
    boolean named = NamespaceChoice.anyNamed(rows);
    TextTable table = named
        ? new TextTable("NAMESPACE", "SERVICE", "ENDPOINT", "ADDRESS", "PID", "UPTIME")
        : new TextTable("SERVICE", "ENDPOINT", "ADDRESS", "PID", "UPTIME");
    for (InstanceRow r : rows) {
      Object pid = r.pid == 0 ? "-" : r.pid;
      if (named) {
        table.row(r.namespace.isEmpty() ? "-" : r.namespace, r.service, r.endpoint, r.address(), pid,
            r.uptime(now));
      } else {
        table.row(r.service, r.endpoint, r.address(), pid, r.uptime(now));
      }
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
      // the registry's /v1/instances shape: "namespace" after "service", none for the default one
      out.print("  {\"service\": " + JsonText.quote(r.service)
          + (r.namespace.isEmpty() ? "" : ", \"namespace\": " + JsonText.quote(r.namespace))
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
