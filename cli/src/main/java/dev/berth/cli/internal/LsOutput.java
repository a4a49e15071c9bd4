package dev.berth.cli.internal;

import dev.berth.local.Namespace;
import dev.berth.local.internal.JsonText;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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

  /** After the address of an endpoint that listens beyond loopback; the legend line explains it. */
  static final String REACHABLE_MARK = "!";

  /**
   * The table; with a NAMESPACE column first ({@code -} for the default namespace) when any row
   * is in a namespace of its own, so that output outside every stack looks as it always did. An
   * endpoint whose socket listens on a wildcard has {@code " !"} after its address, and a legend
   * line under the table names the wildcard: {@code ! listens on 0.0.0.0 (every interface):
   * reachable from other machines; bind it to 127.0.0.1 to keep it local}.
   */
  static void table(List<InstanceRow> rows, PrintWriter out, String indent, Instant now) {
    boolean named = NamespaceChoice.anyNamed(rows);
    TextTable table = named
        ? new TextTable("NAMESPACE", "SERVICE", "ENDPOINT", "ADDRESS", "PID", "UPTIME")
        : new TextTable("SERVICE", "ENDPOINT", "ADDRESS", "PID", "UPTIME");
    Set<String> wildcards = new TreeSet<>(); // "0.0.0.0" sorts before "::"
    for (InstanceRow r : rows) {
      Object pid = r.pid == 0 ? "-" : r.pid;
      String address = r.address();
      if (r.reachableFromOtherMachines()) {
        address += " " + REACHABLE_MARK;
        wildcards.add(r.listenAddress);
      }
      if (named) {
        table.row(r.namespace.isEmpty() ? "-" : r.namespace, r.service, r.endpoint, address, pid,
            r.uptime(now));
      } else {
        table.row(r.service, r.endpoint, address, pid, r.uptime(now));
      }
    }
    table.print(out, indent);
    if (!wildcards.isEmpty()) {
      out.println(indent + REACHABLE_MARK + " listens on " + String.join(" or ", wildcards)
          + " (every interface): reachable from other machines; bind it to 127.0.0.1 to keep it local");
      out.flush();
    }
  }

  static void json(List<InstanceRow> rows, PrintWriter out) {
    if (rows.isEmpty()) {
      out.println("[]");
      return;
    }
    out.println("[");
    for (int i = 0; i < rows.size(); i++) {
      InstanceRow r = rows.get(i);
      // the registry's /v1/instances shape: "namespace" after "service", none for the default
      // one; "listenAddress" null when unknown
      out.print("  {\"service\": " + JsonText.quote(r.service)
          + (r.namespace.isEmpty() ? "" : ", \"namespace\": " + JsonText.quote(r.namespace))
          + ", \"endpoint\": " + JsonText.quote(r.endpoint)
          + ", \"address\": " + JsonText.quote(r.address())
          + ", \"listenAddress\": " + (r.listenAddress.isEmpty() ? "null" : JsonText.quote(r.listenAddress))
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
