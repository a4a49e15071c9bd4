package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.local.ServiceName;
import dev.berth.proto.v1.ListRequest;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth env}: the live table as environment variables ({@code CATALOG_ADDR}, and
 * {@code GATEWAY_HTTP_ADDR} for a non-main endpoint), a {@code .env} file, or a Markdown table.
 */
@Command(name = "env", mixinStandardHelpOptions = true,
    description = "Print the live services as variables: CATALOG_ADDR=127.0.0.1:PORT for a main "
        + "endpoint, GATEWAY_HTTP_ADDR=... for another one.",
    footerHeading = "%nExamples:%n",
    footer = {"  eval \"$(berth env)\"", "  berth env --format dotenv > .env"})
public final class EnvCommand extends BaseCommand {

  /** Output formats. */
  enum Format { SHELL, DOTENV, MARKDOWN }

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "shell",
      description = "shell (export lines, the default), dotenv (KEY=value lines) or markdown (a table).")
  Format format;

  @Override
  public Integer call() {
    CliContext ctx = ctx();
    List<InstanceRow> rows;
    try (Berth berth = ctx.connect()) {
      rows = InstanceRow.of(ctx.ask(berth, stub -> stub.list(ListRequest.getDefaultInstance())));
    }
    // one line per (service, endpoint): the instance that became live first
    Map<String, InstanceRow> first = new LinkedHashMap<>();
    for (InstanceRow row : rows) {
      String name = variable(row.service, row.endpoint);
      InstanceRow kept = first.putIfAbsent(name, row);
      if (kept != null && !(kept.service.equals(row.service) && kept.endpoint.equals(row.endpoint))) {
        // web-http/main and web/http are both WEB_HTTP_ADDR: say so rather than drop one silently
        ctx.err().println("berth: " + kept.service + "/" + kept.endpoint + " and " + row.service + "/"
            + row.endpoint + " are both " + name + "; printing " + kept.service + "/" + kept.endpoint);
      }
    }
    print(first, ctx.out(), format);
    ctx.out().flush();
    return 0;
  }

  static String variable(String service, String endpoint) {
    String name = ServiceName.MAIN.equals(endpoint) ? service : service + "_" + endpoint;
    name = name.replace('-', '_').toUpperCase(Locale.ROOT) + "_ADDR";
    // a DNS label may start with a digit, a shell variable may not
    return Character.isDigit(name.charAt(0)) ? "_" + name : name;
  }

  static void print(Map<String, InstanceRow> vars, PrintWriter out, Format format) {
    switch (format) {
      case MARKDOWN:
        if (vars.isEmpty()) {
          out.println("_No live services._");
          return;
        }
        out.println("| service | endpoint | address | variable |");
        out.println("|---|---|---|---|");
        vars.forEach((name, r) -> out.println("| " + r.service + " | " + r.endpoint + " | `"
            + r.address() + "` | `" + name + "` |"));
        return;
      case DOTENV:
      case SHELL:
      default:
        if (vars.isEmpty()) {
          out.println("# no live services");
          return;
        }
        String prefix = format == Format.SHELL ? "export " : "";
        vars.forEach((name, r) -> out.println(prefix + name + "=" + r.address()));
    }
  }
}
