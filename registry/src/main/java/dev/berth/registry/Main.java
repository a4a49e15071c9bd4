package dev.berth.registry;

import dev.berth.local.StateDir;
import java.io.IOException;
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
 * client's environment, as {@code berth up}'s does from {@code berth up}; {@code berth demo}
 * reads it through {@link #pool} too.
 *
 * <p>Prints {@code berth registry listening on 127.0.0.1:PORT (state DIR)} once it serves, and
 * on SIGTERM or SIGINT closes the registry (leases end, {@code registry.json} is removed) and
 * exits 0. Usage errors exit 2, failures to start exit 1, each with one line on stderr.
 *
 * <p>The CLI's {@code berth registry} runs the same code through {@link #run}:
 * <pre>{@code
 * int code = Main.run(new String[] {"--port", "0", "--home", dir}, System.out, System.err);
 * }</pre>
 *
 * <p>Thread-safe (stateless); {@link #run} blocks until the JVM is asked to stop.
 */
public final class Main {

  static final String USAGE = "usage: berth registry [--port N] [--ports A-B] [--home DIR]";
  /** The environment variable naming the pool ({@code A-B}) when {@code --ports} is not given. */
  public static final String PORTS_ENV = "BERTH_PORTS";
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE_ERROR = 2;

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
   * Runs the daemon until SIGTERM/SIGINT. Returns at once with 2 (usage error, one line on
   * {@code err}) or 1 (cannot start, one line on {@code err}), or 0 for {@code --help}.
   * Once the registry is up, a shutdown hook owns the exit: it closes the registry and ends
   * the JVM with status 0 (a daemon stopped on request has not failed, and the JVM would
   * otherwise report 128+signal).
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
            return OK;
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
      return USAGE_ERROR;
    }
    BerthRegistry registry = builder.stateDir(home).build();
    try {
      registry.start();
    } catch (IOException | RuntimeException e) {
      err.println("berth registry: " + e.getMessage());
      return FAILED;
    }
    Thread hook = new Thread(() -> {
      registry.close();
      out.flush();
      // halt, not exit: exit from a shutdown hook would wait for the hooks, this one included
      Runtime.getRuntime().halt(OK);
    }, "berth-registry-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("berth registry listening on " + registry.address().getAddress().getHostAddress()
        + ":" + registry.port() + " (state " + registry.stateDir() + ")");
    out.flush();
    try {
      registry.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      registry.close();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook finishes the job
    }
    return OK;
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
