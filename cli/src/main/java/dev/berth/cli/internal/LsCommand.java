package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.ListResponse;
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
      LsOutput.json(rows, ctx.out());
    } else if (rows.isEmpty()) {
      ctx.out().println(LsOutput.none(ctx.registryAddress()));
    } else {
      LsOutput.table(rows, ctx.out(), "", Instant.now());
    }
    ctx.out().flush();
    return 0;
  }
}
