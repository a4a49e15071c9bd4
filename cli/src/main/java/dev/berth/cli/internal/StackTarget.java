package dev.berth.cli.internal;

import dev.berth.cli.internal.stack.ControlSocket;
import dev.berth.cli.internal.stack.StackNamespace;
import dev.berth.local.DnsLabel;
import dev.berth.local.Namespace;
import dev.berth.local.internal.StackControl;
import dev.berth.local.internal.StackStateFile;
import dev.berth.proto.v1.StackState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Which stack {@code berth ps}, {@code logs}, {@code restart}, {@code stop} and {@code down}
 * mean, and what is known of it: {@code -f FILE}'s, else the global {@code --namespace}'s,
 * else {@code $BERTH_NAMESPACE}'s, else the one {@link StackNamespace#locate} finds from the
 * current directory (the CLI's namespace rule, with the file first and no default namespace:
 * it has no stack). Its dir is {@code <state
 * dir>/stacks/<namespace>/}. Immutable; used on the command's thread.
 */
final class StackTarget {

  private final String namespace;
  private final StackStateFile file;

  private StackTarget(String namespace, StackStateFile file) {
    this.namespace = namespace;
    this.file = file;
  }

  /**
   * The stack {@code command} means, given its {@code -f} value ({@code stackFile}, null when
   * not given).
   *
   * @throws IllegalArgumentException a bad file or namespace, naming it (a usage error)
   * @throws CliException no stack file here or above, naming where it looked and the fix
   */
  static StackTarget of(CommandSpec command, CliContext ctx, Path stackFile) {
    String namespace = namespace(command, stackFile);
    return new StackTarget(namespace, StackStateFile.of(ctx.home(), namespace));
  }

  private static String namespace(CommandSpec command, Path stackFile) {
    if (stackFile != null) {
      Path file = stackFile.toAbsolutePath().normalize();
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("-f: " + stackFile + " is not a file (expected: a berth.yaml"
            + " or Procfile)");
      }
      return StackNamespace.forDir(file.getParent());
    }
    OptionSpec option = command.findOption("--namespace");
    String flag = option == null ? null : option.getValue();
    if (flag != null && !flag.isBlank()) {
      return stackNamespace("--namespace", flag.strip());
    }
    String env = System.getenv(Namespace.ENV);
    if (env != null && !env.isBlank()) {
      return stackNamespace("$" + Namespace.ENV, env.strip());
    }
    Path cwd = Path.of("").toAbsolutePath();
    return StackNamespace.locate(cwd).map(StackNamespace::forDir).orElseThrow(() -> CliException.failure(
        "no " + StackNamespace.BERTH_YAML + " or " + StackNamespace.PROCFILE + " in " + cwd
            + " or above: run this in a stack's directory, or name one with -f FILE"));
  }

  private static String stackNamespace(String what, String value) {
    if (value.equals(Namespace.DEFAULT_WORD)) {
      throw new IllegalArgumentException(what + ": 'default' (expected: a stack's namespace; the"
          + " default namespace has no stack)");
    }
    return DnsLabel.check(what, value);
  }

  String namespace() {
    return namespace;
  }

  /** {@code <state dir>/stacks/<namespace>/}. */
  Path dir() {
    return file.dir();
  }

  /** Its {@code stack.json}, as the supervisor last wrote it; empty when there is none. */
  Optional<StackState> lastState() {
    try {
      return file.read();
    } catch (IOException e) {
      throw CliException.failure(e.getMessage(), e);
    }
  }

  /** True when {@code state}'s supervisor still runs: same pid, same start time. */
  static boolean supervisorRuns(StackState state) {
    return StackStateFile.supervisorRuns(state);
  }

  /** The control socket {@code state} names, else the stack dir's. */
  Path socket(StackState state) {
    return file.controlSocket(state);
  }

  /** The running supervisor, or a failure saying why there is none and how to start one. */
  StackControl control(Duration timeout) {
    StackState state = lastState().orElseThrow(() -> CliException.failure(notUp()));
    if (!supervisorRuns(state)) {
      throw CliException.failure(notRunning(state));
    }
    return ControlSocket.connect(socket(state), timeout);
  }

  /** "stack NS is not up (...): 'berth up' starts it". */
  String notUp() {
    return "stack " + namespace + " is not up (no " + StackStateFile.FILE + " in " + dir()
        + "): 'berth up' starts it";
  }

  /** A stack.json whose supervisor is gone: stopped on purpose, or killed. */
  String notRunning(StackState state) {
    if (state.getStopped()) {
      return "stack " + namespace + " is down (its supervisor pid " + state.getSupervisorPid()
          + " stopped it): 'berth up' starts it";
    }
    return "stack " + namespace + " is not running (its supervisor pid " + state.getSupervisorPid()
        + " is gone; berth up restarts it)";
  }
}
