package dev.berth.cli.internal;

import dev.berth.local.internal.JsonText;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth dashboard [--open] [--read-only] [--json]}: the URL of the registry's live web
 * page ({@code docs/dashboard.md}), with a one-time code that signs the browser in as the owner
 * (stop and restart buttons). The code is minted with the state dir's token, which never leaves
 * this process. Never starts a registry, like {@code berth ls}.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = {"Print the URL of the live dashboard: the service map, who calls whom and how fast, "
        + "the instances, the port conflicts and the running stacks, served by the registry.",
        "The URL carries a one-time code (good once, within 60 s) that signs your browser in, so its "
            + "stop and restart buttons work; http://127.0.0.1:PORT/dashboard/ alone is the read-only "
            + "page, fine to hand to other tools."})
public final class DashboardCommand extends BaseCommand {

  /**
   * What an {@code --open} code is good for: its URL passes through the opener's command line,
   * which every local user can read in {@code /proc/PID/cmdline}; the browser redeems it at once.
   */
  static final int OPEN_LIFETIME_SECONDS = 10;

  @Option(names = "--open", description = "Also open the URL in a browser (xdg-open on Linux with "
      + "a display, open on macOS); says why not when it cannot. Its code is good for 10 s: the URL "
      + "passes through the opener's command line, which other local users can read.")
  boolean open;

  @Option(names = "--read-only", description = "Print only the read-only page's URL; mint no code.")
  boolean readOnly;

  @Option(names = "--json", description = "One JSON object: url (the read-only page), signInUrl and "
      + "expiresInSeconds (absent with --read-only).")
  boolean json;

  @Override
  public Integer call() {
    CliContext ctx = ctx();
    PrintWriter out = ctx.out();
    InetSocketAddress http = DashboardSignIn.httpSide(ctx);
    String page = DashboardSignIn.pageUrl(http);
    String notMinted = readOnly ? null : DashboardSignIn.notForToken(ctx, http);
    DashboardSignIn.Code code = readOnly || notMinted != null ? null
        : DashboardSignIn.mint(http, DashboardSignIn.token(ctx.home()), ctx.home(),
            open ? OPEN_LIFETIME_SECONDS : 0);
    String signIn = code == null ? null : DashboardSignIn.signInUrl(http, code);
    if (json) {
      out.println(code == null ? "{\"url\": " + JsonText.quote(page) + "}"
          : "{\"url\": " + JsonText.quote(page) + ", \"signInUrl\": " + JsonText.quote(signIn)
              + ", \"expiresInSeconds\": " + code.expiresInSeconds() + "}");
    } else if (code == null) {
      out.println(page);
    } else {
      out.println(signIn);
      out.println("  signs this browser in once, within " + code.expiresInSeconds() + " s (then run "
          + "berth dashboard again); " + page + " is the read-only page to share with other tools");
    }
    out.flush();
    if (notMinted != null) {
      ctx.err().println("berth dashboard: " + notMinted);
      ctx.err().flush();
    }
    if (open) {
      String why = BrowserOpener.open(signIn != null ? signIn : page, System.getenv());
      if (why != null) {
        ctx.err().println("berth dashboard: " + why + "; open the URL above by hand");
        ctx.err().flush();
      }
    }
    return 0;
  }
}
