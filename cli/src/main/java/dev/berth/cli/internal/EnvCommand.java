package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.proto.v1.ListRequest;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth env}: the live table as environment variables ({@code CATALOG_ADDR}, and
 * {@code GATEWAY_HTTP_ADDR} for a non-main endpoint), a {@code .env} file, or a Markdown table;
 * as seen from the command's namespace, as {@code berth resolve} finds each name.
 */
@Command(name = "env", mixinStandardHelpOptions = true,
    description = "Print the live services as variables: CATALOG_ADDR=127.0.0.1:PORT for a main "
        + "endpoint, GATEWAY_HTTP_ADDR=... for another one; of the namespace (-n, $BERTH_NAMESPACE, "
        + "or the stack of this directory) where it has the service, else of the default one.",
    footerHeading = "%nExamples:%n",
    footer = {"  eval \"$(berth env)\"", "  berth env --format dotenv > .env"})
public final class EnvCommand extends BaseCommand {

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "shell",
      description = "shell (export lines, the default), dotenv (KEY=value lines) or markdown (a table).")
  EnvOutput.Format format;

  @Override
  public Integer call() {
    CliContext ctx = ctx();
    List<InstanceRow> rows;
    try (Berth berth = ctx.connect()) {
      rows = InstanceRow.of(ctx.ask(berth, stub -> stub.list(ListRequest.getDefaultInstance())));
    }
    rows = NamespaceChoice.visible(rows, ctx.namespace()); // what resolve would give, name by name
    EnvOutput.print(rows, ctx.out(), ctx.err(), format);
    ctx.out().flush();
    return 0;
  }
}
