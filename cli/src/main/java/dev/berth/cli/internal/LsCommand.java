package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.ListResponse;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth ls [--json]}: every live instance, one line per endpoint. */
@Command(name = "ls", mixinStandardHelpOptions = true,
    description = "List the live services: SERVICE ENDPOINT ADDRESS PID UPTIME, one line per endpoint.")
public final class LsCommand extends BaseCommand {

  @Option(names = "--json", description = "A JSON array of objects: service, endpoint, address, "
      + "port, pid, instance, liveSince.")
  boolean json;

  @Override
  public Integer call() {
    CliContext ctx = ctx();
    ListResponse list;
    try (Berth berth = ctx.connect()) {
      list = ctx.ask(berth, stub -> stub.list(ListRequest.getDefaultInstance()));
    }
    List<InstanceRow> rows = InstanceRow.of(list);
    if (json) {
      printJson(rows, ctx.out());
    } else if (rows.isEmpty()) {
      ctx.out().println("no live services (registry " + ctx.registryAddress() + ")");
    } else {
      printTable(rows, ctx.out(), "", Instant.now());
    }
    ctx.out().flush();
    return 0;
  }

  static void printTable(List<InstanceRow> rows, PrintWriter out, String indent, Instant now) {
    TextTable table = new TextTable("SERVICE", "ENDPOINT", "ADDRESS", "PID", "UPTIME");
    for (InstanceRow r : rows) {
      table.row(r.service, r.endpoint, r.address(), r.pid == 0 ? "-" : r.pid, r.uptime(now));
    }
    table.print(out, indent);
  }

  static void printJson(List<InstanceRow> rows, PrintWriter out) {
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
