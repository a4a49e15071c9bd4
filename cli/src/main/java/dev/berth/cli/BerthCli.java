package dev.berth.cli;

import dev.berth.cli.internal.ConflictsCommand;
import dev.berth.cli.internal.DashboardCommand;
import dev.berth.cli.internal.DebugCommand;
import dev.berth.cli.internal.DemoCommand;
import dev.berth.cli.internal.DoctorCommand;
import dev.berth.cli.internal.DownCommand;
import dev.berth.cli.internal.EnvCommand;
import dev.berth.cli.internal.ErrorReporter;
import dev.berth.cli.internal.GlobalOptions;
import dev.berth.cli.internal.LogsCommand;
import dev.berth.cli.internal.LsCommand;
import dev.berth.cli.internal.PsCommand;
import dev.berth.cli.internal.RegistryCommand;
import dev.berth.cli.internal.ResolveCommand;
import dev.berth.cli.internal.RestartCommand;
import dev.berth.cli.internal.RunCommand;
import dev.berth.cli.internal.StopCommand;
import dev.berth.cli.internal.TopCommand;
import dev.berth.cli.internal.UpCommand;
import dev.berth.cli.internal.WhoCommand;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code berth} command: local services find each other by name, not by port.
 *
 * <pre>{@code
 * berth registry start          # a registry in the background
 * berth run web/http -- node server.js
 * berth ls
 * berth resolve web/http        # 127.0.0.1:61234
 * berth top --once              # calls per edge: rate, errors, p50, p99
 * berth conflicts               # ports someone else held, and who
 * berth dashboard               # the live web page: its sign-in URL
 * }</pre>
 *
 * <p>Exit codes: 0 ok, 1 failure, 2 usage error; every error is one line on stderr, with a stack
 * trace only under {@code --verbose}.
 *
 * <p>The subcommands know nothing of this class: the options they share are the mixin {@link
 * GlobalOptions}, which they find through their own {@code CommandSpec}.
 *
 * <p>One instance per invocation, used on the calling thread.
 */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    versionProvider = BerthCli.Version.class,
    description = "Local services find each other by name: a registry hands each a loopback "
        + "port, remembers it, and tells everyone when a service appears or dies.",
    subcommands = {
      DemoCommand.class,
      RegistryCommand.class,
      UpCommand.class,
      PsCommand.class,
      LogsCommand.class,
      RestartCommand.class,
      StopCommand.class,
      DownCommand.class,
      LsCommand.class,
      ResolveCommand.class,
      WhoCommand.class,
      DoctorCommand.class,
      DebugCommand.class,
      DashboardCommand.class,
      ConflictsCommand.class,
      TopCommand.class,
      RunCommand.class,
      EnvCommand.class,
      CommandLine.HelpCommand.class,
    },
    // bin/berth runs the bench's own jar for this one (it is not in berth.jar)
    footer = {"", "Also: bin/berth bench [--quick] [--json FILE]  (how fast it is; BENCHMARKS.md)"})
public final class BerthCli implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  /** --verbose, --home, --registry: inherited by every subcommand, which reads them from here. */
  @Mixin(name = GlobalOptions.MIXIN_NAME)
  private GlobalOptions globals = new GlobalOptions();

  private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

  private BerthCli() {}

  /** Runs {@code berth} with {@code args} and exits the JVM with its exit code. */
  public static void main(String[] args) {
    if (System.getProperty(LOG_FORMAT) == null) {
      // before any logger exists: the library's log records (a lease lost and re-attached)
      // are one line each on stderr, like every other message of this command
      System.setProperty(LOG_FORMAT, "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
    }
    System.exit(run(args));
  }

  /** Runs {@code berth} with {@code args}; returns the exit code (0 ok, 1 failure, 2 usage). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    BerthCli root = new BerthCli();
    CommandLine cli = new CommandLine(root);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    ErrorReporter errors = new ErrorReporter(() -> root.globals.verbose());
    cli.setParameterExceptionHandler(errors::usageError);
    cli.setExecutionExceptionHandler(errors::failure);
    return cli;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    spec.commandLine().usage(err);
    return CommandLine.ExitCode.USAGE;
  }

  /** The version from the jar manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BerthCli.class.getPackage().getImplementationVersion();
      return new String[] {"berth " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
