package dev.berth.cli.internal;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every {@code berth} command takes ({@code --verbose}, {@code --home},
 * {@code --registry}, {@code --namespace}), a picocli mixin of the top command. They are inherited: picocli copies
 * them into every subcommand, bound to this one instance, so {@code berth --home D ls} and
 * {@code berth ls --home D} set the same field, and a subcommand reads them through
 * {@link #of(CommandSpec)} instead of knowing the class of the top command.
 *
 * <p>Filled in by picocli while it parses, then read on the same thread.
 */
public final class GlobalOptions {

  /** The name the top command mixes this in under. */
  public static final String MIXIN_NAME = "globals";

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces with errors.")
  boolean verbose;

  @Option(names = "--home", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "State dir (default: $BERTH_HOME, else $XDG_RUNTIME_DIR/berth, else ~/.berth).")
  Path home;

  @Option(names = "--registry", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
      description = "Registry address (default: $BERTH_REGISTRY, else registry.json in the state dir).")
  String registry;

  @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, paramLabel = "NS",
      description = "Namespace to register and look names up in; 'default' is the default "
          + "namespace of services started outside every stack (default: $BERTH_NAMESPACE, else "
          + "the stack's of the berth.yaml or Procfile in this directory or above, else 'default'). "
          + "ls shows every namespace unless this or $BERTH_NAMESPACE names one.")
  String namespace;

  /** True under {@code --verbose}: errors come with their stack trace. */
  public boolean verbose() {
    return verbose;
  }

  /**
   * The global options of the invocation {@code command} belongs to: the instance mixed into
   * its top command under {@link #MIXIN_NAME}.
   *
   * @throws IllegalStateException the top command has no such mixin (a wiring mistake)
   */
  public static GlobalOptions of(CommandSpec command) {
    CommandSpec mixin = command.root().mixins().get(MIXIN_NAME);
    if (mixin == null || !(mixin.userObject() instanceof GlobalOptions)) {
      throw new IllegalStateException("command '" + command.root().name() + "': no mixin '"
          + MIXIN_NAME + "' (expected: @Mixin(name = \"" + MIXIN_NAME + "\") GlobalOptions)");
    }
    return (GlobalOptions) mixin.userObject();
  }

  /** What {@code command} needs of these options, writing to its command line's out and err. */
  public CliContext context(CommandSpec command) {
    CommandLine cli = command.commandLine();
    return new CliContext(home, registry, namespace, verbose, cli.getOut(), cli.getErr());
  }
}
