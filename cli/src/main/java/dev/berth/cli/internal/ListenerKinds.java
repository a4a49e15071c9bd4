package dev.berth.cli.internal;

import dev.berth.local.DebugAgents;
import dev.berth.local.StateDir;
import dev.berth.registry.internal.ProcessSockets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a process listening on a port recognisably is, from its command line and its
 * environment ({@code /proc/PID/cmdline} and {@code /proc/PID/environ}, through a
 * {@link ProcessSockets}): a Java debug agent (JDWP), a Node inspector, or a Berth registry and
 * of which state dir. For {@code berth who} and {@code berth doctor}.
 *
 * <p>A debugger agent is named only on the port it was configured for: a JVM with JDWP on 5005
 * also listens on its application's 8080, and 8080 is not the agent. The agent may be started
 * by the command line or by the environment ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS},
 * {@code _JAVA_OPTIONS}; {@code NODE_OPTIONS}), which the command line does not show. An agent
 * that chose its own port (JDWP without an address or with port 0, {@code --inspect=0}) cannot
 * be told from the process's other listeners: it is named with "perhaps"
 * ({@link ListenerKind#certain()} false).
 *
 * <pre>{@code
 * ListenerKinds.of(ProcessSockets.system(), pid, 5005, ctx.home())
 *     .ifPresent(k -> out.println(k.describe()));   // "a Java debug agent (JDWP) of pid 4242"
 * }</pre>
 *
 * <p>Pure functions over what they are given; thread-safe.
 */
public final class ListenerKinds {

  private ListenerKinds() {}

  /** The kinds of listener recognised. */
  public enum Kind {
    /** A JVM's JDWP agent ({@code -agentlib:jdwp=...,server=y}), what a Java debugger attaches to. */
    JDWP_AGENT,
    /** Node's inspector ({@code --inspect}), what a JavaScript debugger attaches to. */
    NODE_INSPECTOR,
    /** A Berth registry ({@code dev.berth.registry.Main}, {@code berth registry}). */
    BERTH_REGISTRY
  }

  /**
   * A recognised listener: its kind, its process, whether the port is surely the agent's (an
   * agent that chose its own port is only perhaps on this one), and for a registry its state
   * dir (empty when its command line and environment do not show it) and whether that is the
   * asking CLI's own.
   */
  public record ListenerKind(Kind kind, long pid, boolean certain, Optional<Path> stateDir,
      boolean thisStateDir) {

    /**
     * One phrase for a line of {@code who} or {@code doctor}: "a Java debug agent (JDWP) of pid
     * 42", "a Node inspector of pid 42", "the Berth registry of this state dir (/x), pid 42",
     * "a Berth registry of another state dir, /y (pid 42): BERTH_HOME=/y berth ls shows its
     * instances".
     */
    public String describe() {
      switch (kind) {
        case JDWP_AGENT:
          return agent("Java debug agent (JDWP)");
        case NODE_INSPECTOR:
          return agent("Node inspector");
        case BERTH_REGISTRY:
        default:
          if (stateDir.isEmpty()) {
            return "a Berth registry (pid " + pid + ") of a state dir its environment does not "
                + "show (another user's?)";
          }
          String dir = stateDir.get().toString();
          if (thisStateDir) {
            return "the Berth registry of this state dir (" + dir + "), pid " + pid;
          }
          return "a Berth registry of another state dir, " + dir + " (pid " + pid + "): BERTH_HOME="
              + shellWord(dir) + " berth ls shows its instances";
      }
    }

    private String agent(String what) {
      return certain ? "a " + what + " of pid " + pid
          : "perhaps the " + what + " of pid " + pid + ", which chose its own port";
    }
  }

  /**
   * What {@code pid}, found listening on {@code port}, recognisably is: its command line and
   * environment read from {@code sockets}; empty when it is none of the {@link Kind}s (or
   * cannot be read). {@code ownStateDir} is the asking CLI's state dir.
   */
  public static Optional<ListenerKind> of(ProcessSockets sockets, long pid, int port, Path ownStateDir) {
    if (pid <= 0) {
      return Optional.empty();
    }
    return of(sockets.commandLine(pid), sockets.environment(pid), pid, port, ownStateDir);
  }

  /**
   * The same from a command line ({@link ProcessSockets#commandLine}: arguments joined by
   * spaces, so an argument holding a space is read as several) and an environment (empty when
   * unreadable: another user's process, no {@code /proc}).
   */
  public static Optional<ListenerKind> of(String commandLine, Map<String, String> env, long pid,
      int port, Path ownStateDir) {
    List<String> argv = words(commandLine);
    if (argv.isEmpty()) {
      return Optional.empty();
    }
    // a deferred JDWP agent (onthrow=...) listens at its port once the event comes: still it
    List<DebugAgents.Agent> agents = DebugAgents.of(argv, env).stream().filter(DebugAgents.Agent::listens).toList();
    Optional<DebugAgents.Agent> here = agents.stream().filter(a -> a.port() == port).findFirst();
    if (here.isPresent()) {
      return Optional.of(new ListenerKind(kind(here.get()), pid, true, Optional.empty(), false));
    }
    Optional<Optional<Path>> registry = registryStateDir(argv, env);
    if (registry.isPresent()) {
      Optional<Path> dir = registry.get();
      boolean own = dir.isPresent() && sameDir(dir.get(), ownStateDir);
      return Optional.of(new ListenerKind(Kind.BERTH_REGISTRY, pid, true, dir, own));
    }
    // an agent that chose its own port (printed as the JVM started) may be this one
    Optional<DebugAgents.Agent> chosen = agents.stream().filter(a -> a.port() == 0).findFirst();
    if (chosen.isPresent()) {
      return Optional.of(new ListenerKind(kind(chosen.get()), pid, false, Optional.empty(), false));
    }
    return Optional.empty();
  }

  private static Kind kind(DebugAgents.Agent agent) {
    return agent.kind() == DebugAgents.Kind.JDWP ? Kind.JDWP_AGENT : Kind.NODE_INSPECTOR;
  }

  /**
   * Empty when {@code argv} is not a Berth registry; else its state dir, empty inside when
   * neither its arguments nor its environment show it. The registry's rule as
   * {@link StateDir#defaultPath(String, Map, String)}: {@code --home}, else {@code -Dberth.home},
   * {@code $BERTH_HOME}, {@code $XDG_RUNTIME_DIR/berth}, {@code $HOME/.berth}.
   */
  static Optional<Optional<Path>> registryStateDir(List<String> argv, Map<String, String> env) {
    int main = argv.indexOf("dev.berth.registry.Main");
    List<String> args;
    if (main > 0) {
      args = argv.subList(main + 1, argv.size());
    } else {
      int cli = cliStart(argv);
      if (cli < 0 || !"registry".equals(firstPositional(argv.subList(cli, argv.size())))) {
        return Optional.empty();
      }
      main = cli - 1;
      args = argv.subList(cli, argv.size());
    }
    Optional<String> home = optionValue(args, "--home");
    if (home.isPresent()) {
      return Optional.of(Optional.of(Path.of(home.get()).normalize()));
    }
    String property = null;
    for (String jvmArg : argv.subList(1, main)) {
      if (jvmArg.startsWith("-D" + StateDir.HOME_PROPERTY + "=")) {
        property = jvmArg.substring(("-D" + StateDir.HOME_PROPERTY + "=").length());
      }
    }
    if (property == null && env.isEmpty()) {
      return Optional.of(Optional.empty()); // another user's, or no /proc: cannot tell
    }
    String userHome = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Optional.of(Optional.of(StateDir.defaultPath(property, env, userHome).normalize()));
  }

  /** The index of the first CLI argument after {@code -jar berth*.jar} or the CLI's main class; -1 if none. */
  private static int cliStart(List<String> argv) {
    for (int i = 1; i < argv.size(); i++) {
      String a = argv.get(i);
      if (a.equals("-jar") && i + 1 < argv.size()) {
        Path jar = Path.of(argv.get(i + 1)).getFileName();
        String name = jar == null ? "" : jar.toString();
        return name.startsWith("berth") && name.endsWith(".jar") ? i + 2 : -1;
      }
      if (a.equals("dev.berth.cli.BerthCli") || a.equals("dev.berth.cli.internal.FastPath")) {
        return i + 1;
      }
    }
    return -1;
  }

  /** The first argument that is neither an option nor the value of one of the CLI's global options. */
  private static String firstPositional(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--home") || a.equals("--registry") || a.equals("-n") || a.equals("--namespace")) {
        i++;
      } else if (!a.startsWith("-")) {
        return a;
      }
    }
    return "";
  }

  /** The last value of {@code name}, as {@code name V} or {@code name=V}. */
  private static Optional<String> optionValue(List<String> args, String name) {
    String value = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals(name) && i + 1 < args.size()) {
        value = args.get(++i);
      } else if (a.startsWith(name + "=")) {
        value = a.substring(name.length() + 1);
      }
    }
    return Optional.ofNullable(value);
  }

  /** The same directory: equal once normalized, or the same file once symbolic links are resolved. */
  static boolean sameDir(Path a, Path b) {
    Path x = a.toAbsolutePath().normalize();
    Path y = b.toAbsolutePath().normalize();
    if (x.equals(y)) {
      return true;
    }
    try {
      return Files.exists(x) && Files.exists(y) && Files.isSameFile(x, y);
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  /** {@code s} as one shell word: as it is when it is plain, else in single quotes. */
  static String shellWord(String s) {
    if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:@%+=,-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }

  static List<String> words(String commandLine) {
    List<String> words = new ArrayList<>();
    for (String w : commandLine.split(" ")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }
}
