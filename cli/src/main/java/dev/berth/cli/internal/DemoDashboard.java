package dev.berth.cli.internal;

import dev.berth.local.StateDir;
import java.io.BufferedReader;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The end of {@code berth demo}: the dashboard's sign-in URL of the demo's own registry, minted
 * as {@code berth dashboard} mints it ({@link DashboardSignIn}), and, on a terminal, the stack
 * kept up until Enter so that the page has something to show. Off a terminal (the suite, CI)
 * the demo ends at once, as it always has. Used on the story's thread.
 */
final class DemoDashboard {

  private DemoDashboard() {}

  /** Whether a person sits at this demo: stdin and stdout are a terminal. */
  static boolean onTerminal() {
    return terminal(System.console(), java.io.Console.class);
  }

  /**
   * Whether {@code console} (of {@code type}) is a terminal. Up to JDK 21 {@code System.console()}
   * is null unless stdin and stdout both are one; from 22 on it is there even when redirected, and
   * {@code isTerminal()} (absent before 22, hence by reflection) says what null used to.
   */
  static boolean terminal(Object console, Class<?> type) {
    if (console == null) {
      return false;
    }
    java.lang.reflect.Method isTerminal;
    try {
      isTerminal = type.getMethod("isTerminal");
    } catch (NoSuchMethodException e) {
      return true; // before JDK 22: a console is a terminal
    }
    try {
      return Boolean.TRUE.equals(isTerminal.invoke(console));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false; // not known to be one: end at once rather than wait for an Enter nobody types
    }
  }

  /**
   * Prints the URLs of the dashboard of the registry in {@code stateDir}; then, when {@code in}
   * is not null, waits for a line (Enter) or the end of it while {@code traffic} calls gently. A dashboard that cannot be had (a
   * registry without one) is one line, not the demo's failure: the story was told.
   */
  static void show(DemoNarrator narrator, Path stateDir, DemoTraffic traffic, BufferedReader in)
      throws Exception {
    narrator.step("dashboard", "the live page of this stack: the map, its edges' rates, the instances "
        + "(what berth dashboard prints for your own registry):");
    try {
      InetSocketAddress http = httpSide(stateDir);
      DashboardSignIn.Code code = DashboardSignIn.mint(http, DashboardSignIn.token(stateDir), stateDir);
      narrator.note("%s", DashboardSignIn.signInUrl(http, code));
      narrator.note("signs one browser in (good once, within %d s); %s is the read-only page",
          code.expiresInSeconds(), DashboardSignIn.pageUrl(http));
    } catch (CliException e) {
      narrator.note("no dashboard: %s", e.getMessage());
    }
    if (in == null) {
      narrator.note("not on a terminal: stopping now (on one, the stack stays up until Enter)");
      return;
    }
    narrator.note("the stack stays up while you look, gateway ordering about ten times a second: "
        + "press Enter to stop everything");
    narrator.out().flush();
    traffic.gently(in::readLine); // null at the end of stdin: stop as well
  }

  private static InetSocketAddress httpSide(Path stateDir) {
    // the demo's own registry, in this process: registry.json is its, no lock to ask
    return DashboardSignIn.recorded(stateDir).orElseThrow(() -> CliException.failure(
        "the demo's registry has no HTTP side (no httpAddress in " + stateDir.resolve(StateDir.REGISTRY_JSON) + ")"));
  }
}
