package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --help} of the real jar, for {@code berth} and every subcommand it has: picocli formats
 * each description with {@code String.format}, and a bare {@code %} in one makes it print
 * "[picocli WARN] Could not format ..." above the usage.
 */
class HelpIT {

  @Test
  void help_ofTheTopCommandAndEverySubcommand_printsNoPicocliWarning(@TempDir Path temp) throws Exception {
    List<String> commands = new ArrayList<>(BerthCli.commandLine().getSubcommands().keySet());
    assertThat(commands).contains("top", "conflicts", "demo");
    commands.add(0, "");
    try (BerthJar berth = new BerthJar(temp)) {
      for (String command : commands) {
        BerthJar.Result r = command.isEmpty() ? berth.run("--help") : berth.run(command, "--help");

        assertThat(r.exitCode).as("berth " + command + " --help\n" + r).isZero();
        assertThat(r.out + r.err).as("berth " + command + " --help").doesNotContain("[picocli WARN]");
      }
    }
  }
}
