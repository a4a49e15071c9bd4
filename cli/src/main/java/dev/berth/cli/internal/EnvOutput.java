package dev.berth.cli.internal;

import dev.berth.local.ServiceName;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code berth env} prints, from rows however they were read: the one formatter of both
 * its paths (gRPC, and the fast path's JSON view). Stateless.
 */
final class EnvOutput {

  /** Output formats. */
  enum Format { SHELL, DOTENV, MARKDOWN }

  private EnvOutput() {}

  /**
   * One variable per (service, endpoint), the instance that became live first, to {@code out};
   * a name two endpoints map to is said once on {@code err}.
   */
  static void print(List<InstanceRow> rows, PrintWriter out, PrintWriter err, Format format) {
    Map<String, InstanceRow> first = new LinkedHashMap<>();
    for (InstanceRow row : rows) {
      String name = variable(row.service, row.endpoint);
      InstanceRow kept = first.putIfAbsent(name, row);
      if (kept != null && !(kept.service.equals(row.service) && kept.endpoint.equals(row.endpoint))) {
        // web-http/main and web/http are both WEB_HTTP_ADDR: say so rather than drop one silently
        err.println("berth: " + kept.service + "/" + kept.endpoint + " and " + row.service + "/"
            + row.endpoint + " are both " + name + "; printing " + kept.service + "/" + kept.endpoint);
      }
    }
    print(first, out, format);
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
        for (Map.Entry<String, InstanceRow> v : vars.entrySet()) {
          InstanceRow r = v.getValue();
          out.println("| " + r.service + " | " + r.endpoint + " | `" + r.address() + "` | `"
              + v.getKey() + "` |");
        }
        return;
      case DOTENV:
      case SHELL:
      default:
        if (vars.isEmpty()) {
          out.println("# no live services");
          return;
        }
        String prefix = format == Format.SHELL ? "export " : "";
        for (Map.Entry<String, InstanceRow> v : vars.entrySet()) { // no lambda: see FastPath
          out.println(prefix + v.getKey() + "=" + v.getValue().address());
        }
    }
  }
}
