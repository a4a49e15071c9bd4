package dev.berth.registry;

import dev.berth.local.StateDir;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The foreground registry daemon:
 * {@code java -cp ... dev.berth.registry.Main [--port N] [--ports A-B] [--home DIR]}.
 *
 * <p>The pool is {@code --ports}, else the environment variable {@value #PORTS_ENV} (also
 * {@code A-B}), else the span above the OS's ephemeral range. The variable is how a pool
 * reaches the registries no one starts by hand: one a client auto-starts inherits it from the
 * client's environment, as {@code berth registry start}'s does from its own; {@code berth demo}
 * reads it through {@link #pool} too.
 *
 * <p>Its own small parser turns the arguments into a {@link BerthRegistry.Builder} (this class
 * must run without picocli, from the registry's jar alone); a usage error exits
 * {@value RegistryDaemon#USAGE_ERROR} with one line on stderr. Everything after that is
 * {@link RegistryDaemon}, which the CLI's {@code berth registry} runs too: it prints
 * {@code berth registry listening on 127.0.0.1:PORT (state DIR)} once it serves, exits 1 when
 * the registry cannot start, and 0 on SIGTERM or SIGINT.
 *
 * <p>Thread-safe (stateless); {@link #run} blocks until the JVM is asked to stop.
 */
public final class Main {

  static final String USAGE = "usage: berth registry [--port N] [--ports A-B] [--home DIR]";
  /** The environment variable naming the pool ({@code A-B}) when {@code --ports} is not given. */
  public static final String PORTS_ENV = "BERTH_PORTS";

  private Main() {}

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      // one line per log record: this is a terminal program
      System.setProperty("java.util.logging.SimpleFormatter.format",
          "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
    }
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Parses {@code args} and runs the daemon ({@link RegistryDaemon#run}) until SIGTERM/SIGINT.
   * Returns at once with 2 (usage error, one line on {@code err}) or 1 (cannot start, one line
   * on {@code err}), or 0 for {@code --help}.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, System.getenv(), out, err);
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    BerthRegistry.Builder builder = BerthRegistry.builder();
    Path home = StateDir.defaultPath();
    String ports = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        switch (name) {
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          case "--port" -> builder.port(parsePort(value(args, i, arg)));
          // not in USAGE: the port wanted when none is given, with its fallback, for tests
          // that must never touch the real 62893
          case "--default-port" -> builder.defaultPort(parsePort(value(args, i, arg)));
          case "--ports" -> ports = value(args, i, arg);
          case "--home" -> home = Path.of(value(args, i, arg));
          default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
        }
        if (!arg.contains("=")) {
          i++; // the value was the next argument
        }
      }
      pool(builder, ports, env);
    } catch (IllegalArgumentException e) {
      err.println("berth registry: " + e.getMessage() + " (" + USAGE + ")");
      return RegistryDaemon.USAGE_ERROR;
    }
    return RegistryDaemon.run(builder.stateDir(home), out, err);
  }

  /**
   * Gives {@code builder} the pool of every registry Berth starts: {@code ports} (the value of
   * a {@code --ports} option, {@code A-B}; null when not given), else {@code $BERTH_PORTS} from
   * {@code env}, else the builder's default.
   *
   * @throws IllegalArgumentException a value is not {@code A-B}; the message names it
   */
  public static BerthRegistry.Builder pool(BerthRegistry.Builder builder, String ports,
      Map<String, String> env) {
    String name = "--ports";
    String value = ports;
    if (value == null) {
      name = PORTS_ENV;
      value = env.get(PORTS_ENV);
      if (value == null || value.isBlank()) {
        return builder;
      }
    }
    int[] range = parseRange(name, value.strip());
    return builder.ports(range[0], range[1]);
  }

  private static String value(String[] args, int i, String arg) {
    int eq = arg.indexOf('=');
    if (eq >= 0) {
      return arg.substring(eq + 1);
    }
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException("missing value for " + arg);
    }
    return args[i + 1];
  }

  private static int parsePort(String s) {
    try {
      int port = Integer.parseInt(s);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--port: '" + s + "' (expected: 0..65535)");
  }

  private static int[] parseRange(String name, String s) {
    String[] parts = s.split("-", -1);
    try {
      if (parts.length == 2) {
        int first = Integer.parseInt(parts[0]);
        int last = Integer.parseInt(parts[1]);
        if (first >= 1 && first <= last && last <= 65535) {
          return new int[] {first, last};
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + ": '" + s + "' (expected: A-B with 1 <= A <= B <= 65535)");
  }
}
