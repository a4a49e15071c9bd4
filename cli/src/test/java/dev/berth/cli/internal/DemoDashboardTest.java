package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the demo waits for Enter: only on a terminal, by either JDK's way of telling. */
class DemoDashboardTest {

  /** A JDK 22+ console: there, and says whether it is a terminal. */
  static final class NewConsole {
    private final boolean terminal;

    NewConsole(boolean terminal) {
      this.terminal = terminal;
    }

    public boolean isTerminal() {
      return terminal;
    }
  }

  /** A JDK 17-21 console: there only on a terminal, no isTerminal(). */
  static final class OldConsole {}

  @Test
  void terminal_noConsole_no() {
    assertThat(DemoDashboard.terminal(null, NewConsole.class)).isFalse();
    assertThat(DemoDashboard.terminal(null, OldConsole.class)).isFalse();
  }

  @Test
  void terminal_consoleOfNewJdkWhileRedirected_no() {
    assertThat(DemoDashboard.terminal(new NewConsole(false), NewConsole.class)).isFalse();
    assertThat(DemoDashboard.terminal(new NewConsole(true), NewConsole.class)).isTrue();
  }

  @Test
  void terminal_consoleOfOldJdk_yes() {
    assertThat(DemoDashboard.terminal(new OldConsole(), OldConsole.class)).isTrue();
  }

  @Test
  void onTerminal_inTheTestForkWithoutATerminal_no() {
    // surefire's fork talks to Maven over pipes: neither JDK's console is a terminal there
    assertThat(DemoDashboard.onTerminal()).isFalse();
  }
}
