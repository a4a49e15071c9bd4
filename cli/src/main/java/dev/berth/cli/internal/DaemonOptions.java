package dev.berth.cli.internal;

import dev.berth.registry.BerthRegistry;
import dev.berth.registry.Main;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The registry daemon's own options, one declaration for {@code berth registry} (which runs it
 * here) and {@code berth registry start} (which starts it in the background): {@code --port}, the hidden
 * {@code --default-port} and {@code --ports}. A picocli mixin; usage errors name the option and
 * the range, and exit 2 as every usage error does.
 */
final class DaemonOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(names = "--port", paramLabel = "N",
      description = "Port to listen on (default 62893, another if that is taken; 0: any free port).")
  Integer port;

  /** The port wanted when --port is not given, with the same fallback: for tests, never 62893. */
  @Option(names = "--default-port", paramLabel = "N", hidden = true)
  Integer defaultPort;

  @Option(names = "--ports", paramLabel = "A-B",
      description = "The pool of ports to hand out (default: $BERTH_PORTS, else the span above "
          + "the OS's ephemeral range, e.g. 61000-65535).")
  String ports;

  /** {@code --port}, checked; null when not given. */
  Integer port() {
    return port == null ? null : check("--port", port);
  }

  /** {@code --default-port}, checked; null when not given. */
  Integer defaultPort() {
    return defaultPort == null ? null : check("--default-port", defaultPort);
  }

  /** {@code --ports} as given (A-B); null when not given. */
  String ports() {
    return ports;
  }

  /**
   * Checks every option now, the pool from {@code --ports} or {@code env}'s $BERTH_PORTS among
   * them: {@code berth registry start} hands them to a daemon it starts, and a bad one must be a usage error
   * here, not a daemon that exits.
   */
  void check(Map<String, String> env) {
    configure(BerthRegistry.builder(), env);
  }

  /** Applies every option to {@code builder}; the pool is {@code --ports}, else {@code env}'s $BERTH_PORTS. */
  BerthRegistry.Builder configure(BerthRegistry.Builder builder, Map<String, String> env) {
    if (port() != null) {
      builder.port(port);
    }
    if (defaultPort() != null) {
      builder.defaultPort(defaultPort);
    }
    try {
      Main.pool(builder, ports, env);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(mixee.commandLine(), e.getMessage());
    }
    return builder;
  }

  private int check(String option, int value) {
    if (value < 0 || value > 65535) {
      throw new ParameterException(mixee.commandLine(), option + ": " + value + " (expected: 0..65535)");
    }
    return value;
  }
}
