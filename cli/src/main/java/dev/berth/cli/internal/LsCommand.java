package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.ListResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth ls [--json] [-n NS]}: every live instance, one line per endpoint; of every
 * namespace, unless {@code -n} or {@code $BERTH_NAMESPACE} names one.
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
    description = {"List the live services: SERVICE ENDPOINT ADDRESS PID UPTIME, one line per endpoint.",
      "Every namespace, with a NAMESPACE column first ('-' for the default one) when any instance "
          + "is in a stack's; -n NS (or $BERTH_NAMESPACE) shows only NS ('-n default': only the "
          + "services started outside every stack).",
      "An address followed by '!' listens on 0.0.0.0 or :: (every interface), so other machines "
          + "can reach it; a line under the table says so."})
public final class LsCommand extends BaseCommand {

  @Option(names = "--json", description = "A JSON array of objects: service, namespace (none for "
      + "the default one), endpoint, address, listenAddress (what the socket is bound to: 0.0.0.0, "
      + "::, 127.0.0.1 or ::1; null when unknown), port, pid, instance, liveSince.")
  boolean json;

  @Override
  public Integer call() {
    CliContext ctx = ctx();
    Optional<String> namespace = ctx.namespaceFilter();
    ListRequest request = namespace.isEmpty() ? ListRequest.getDefaultInstance()
        : ListRequest.newBuilder().setNamespace(namespace.get())
            .setDefaultOnly(namespace.get().isEmpty()).build();
    ListResponse list;
    try (Berth berth = ctx.connect()) {
      list = ctx.ask(berth, stub -> stub.list(request));
    }
    List<InstanceRow> rows = InstanceRow.of(list);
    if (namespace.isPresent()) {
      rows = NamespaceChoice.only(rows, namespace.get()); // a registry before namespaces lists all
    }
    if (json) {
      LsOutput.json(rows, ctx.out());
    } else if (rows.isEmpty()) {
      ctx.out().println(LsOutput.none(ctx.registryAddress(), namespace.orElse(null)));
    } else {
      LsOutput.table(rows, ctx.out(), "", Instant.now());
    }
    ctx.out().flush();
    return 0;
  }
}
