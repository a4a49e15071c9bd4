package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.internal.CliContext;
import dev.berth.cli.internal.GlobalOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** The global options reach a subcommand through the mixin, wherever on the line they stand. */
class GlobalOptionsTest {

  private static CliContext contextOf(String... args) {
    CommandLine cli = BerthCli.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    CommandLine.ParseResult parsed = cli.parseArgs(args);
    CommandSpec sub = parsed.subcommand().commandSpec();
    return GlobalOptions.of(sub).context(sub);
  }

  @Test
  void globals_beforeOrAfterTheSubcommand_reachItsContext() {
    Path home = Path.of("/tmp/berth-global-options-test");

    for (String[] args : new String[][] {
      {"--home", home.toString(), "--registry", "127.0.0.1:1", "--verbose", "ls"},
      {"ls", "--home", home.toString(), "--registry", "127.0.0.1:1", "--verbose"},
      {"--home", home.toString(), "ls", "--verbose", "--registry=127.0.0.1:1"},
    }) {
      CliContext ctx = contextOf(args);

      assertThat(ctx.homeGiven()).as(String.join(" ", args)).isTrue();
      assertThat(ctx.home()).as(String.join(" ", args)).isEqualTo(home);
      assertThat(ctx.registryOverride()).as(String.join(" ", args)).contains("127.0.0.1:1");
      assertThat(ctx.verbose()).as(String.join(" ", args)).isTrue();
    }
  }

  @Test
  void namespace_shortOrLong_beforeOrAfterTheSubcommand_reachesItsContext() {
    assertThat(contextOf("-n", "shop-1", "ls").namespaceFilter()).contains("shop-1");
    assertThat(contextOf("resolve", "orders", "--namespace", "shop-1").namespace()).isEqualTo("shop-1");
    assertThat(contextOf("--namespace=default", "env").namespace()).isEmpty();
    assertThat(contextOf("ls", "-n", "default").namespaceFilter()).contains("");
  }

  @Test
  void globals_whenNotGiven_areUnset() {
    CliContext ctx = contextOf("registry", "--port", "0");

    assertThat(ctx.homeGiven()).isFalse();
    assertThat(ctx.verbose()).isFalse();
  }

  @Command(name = "bare", subcommands = Bare.Sub.class)
  static final class Bare {
    @Command(name = "sub")
    static final class Sub {}
  }

  @Test
  void of_aCommandWithoutTheMixin_failsNamingIt() {
    CommandSpec sub = new CommandLine(new Bare()).getSubcommands().get("sub").getCommandSpec();

    assertThatThrownBy(() -> GlobalOptions.of(sub)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'bare'").hasMessageContaining("GlobalOptions");
  }
}
