package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.local.internal.JsonText;
import dev.berth.proto.v1.ConflictsRequest;
import dev.berth.proto.v1.PortConflict;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth conflicts [--json]}: the last port conflicts the registry saw, and who held the port. */
@Command(name = "conflicts", mixinStandardHelpOptions = true,
    description = {"List the last port conflicts (at most 50, oldest first): TIME SERVICE ENDPOINT "
        + "PORT CAUSE HOLDER. CAUSE is in_use, reserved, requested_taken or bind_failed.",
        "A holder's command line is cut at " + ConflictsCommand.HOLDER_WIDTH + " characters; "
            + "--wide or --json shows it whole."})
public final class ConflictsCommand extends BaseCommand {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss")
      .withZone(ZoneId.systemDefault());

  @Option(names = "--json", description = "A JSON array of objects: time, service, endpoint, "
      + "port, cause, holderPid, holderCommandLine, holderInstance.")
  boolean json;

  @Option(names = "--wide", description = "Show each holder's command line whole, not cut at "
      + HOLDER_WIDTH + " characters.")
  boolean wide;

  /** The HOLDER column's command line is cut here unless {@code --wide}. */
  static final int HOLDER_WIDTH = 60;

  @Override
  public Integer call() {
    CliContext ctx = ctx();
    List<PortConflict> conflicts;
    try (Berth berth = ctx.connect()) {
      conflicts = ctx.ask(berth, stub -> stub.conflicts(ConflictsRequest.getDefaultInstance()))
          .getConflictsList();
    }
    PrintWriter out = ctx.out();
    if (json) {
      printJson(conflicts, out);
    } else if (conflicts.isEmpty()) {
      out.println("no port conflicts (registry " + ctx.registryAddress() + ")");
    } else {
      printTable(conflicts, wide, out);
    }
    out.flush();
    return 0;
  }

  /** The table; unless {@code wide}, long command lines are cut and a last line says so. */
  static void printTable(List<PortConflict> conflicts, boolean wide, PrintWriter out) {
    TextTable table = new TextTable("TIME", "SERVICE", "ENDPOINT", "PORT", "CAUSE", "HOLDER");
    boolean cut = false;
    for (PortConflict c : conflicts) {
      String cmd = c.getHolderCommandLine();
      if (!wide && cmd.length() > HOLDER_WIDTH) {
        cmd = cmd.substring(0, HOLDER_WIDTH - 3) + "...";
        cut = true;
      }
      table.row(TIME.format(time(c)), c.getService(), c.getEndpoint(), c.getPort(), c.getCause(),
          holder(c, cmd));
    }
    table.print(out, "");
    if (cut) {
      out.println("(command lines cut at " + HOLDER_WIDTH + " characters: berth conflicts --wide "
          + "shows them whole)");
    }
  }

  private static String holder(PortConflict c, String cmd) {
    String who = c.getHolderPid() == 0 ? "unknown process" : "pid " + c.getHolderPid();
    if (!c.getHolderInstanceId().isEmpty()) {
      who = "berth instance " + c.getHolderInstanceId() + " (" + who + ")";
    }
    return cmd.isEmpty() ? who : who + " " + cmd;
  }

  private static Instant time(PortConflict c) {
    return Instant.ofEpochSecond(c.getTime().getSeconds(), c.getTime().getNanos());
  }

  private static void printJson(List<PortConflict> conflicts, PrintWriter out) {
    if (conflicts.isEmpty()) {
      out.println("[]");
      return;
    }
    out.println("[");
    for (int i = 0; i < conflicts.size(); i++) {
      PortConflict c = conflicts.get(i);
      out.print("  {\"time\": " + JsonText.quote(time(c).toString())
          + ", \"service\": " + JsonText.quote(c.getService())
          + ", \"endpoint\": " + JsonText.quote(c.getEndpoint())
          + ", \"port\": " + c.getPort()
          + ", \"cause\": " + JsonText.quote(c.getCause())
          + ", \"holderPid\": " + c.getHolderPid()
          + ", \"holderCommandLine\": " + JsonText.quote(c.getHolderCommandLine())
          + ", \"holderInstance\": " + JsonText.quote(c.getHolderInstanceId())
          + "}");
      out.println(i < conflicts.size() - 1 ? "," : "");
    }
    out.println("]");
  }
}
