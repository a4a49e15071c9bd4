package dev.berth.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The port a process's debugger agent listens on, as its command line and environment
 * configure it: a JVM's JDWP agent, Node's inspector. Each answer is empty when the process
 * starts no listening agent, 0 when the agent chooses its own port, else the port. For
 * {@link ListenerKinds}. Stateless.
 */
final class DebugAgentPorts {

  /** Node's inspector port when {@code --inspect} names none. */
  static final int INSPECTOR_DEFAULT_PORT = 9229;

  // the JVM reads these besides its command line: the first for every JVM, the second for the
  // `java` launcher (JDK 9+), the third (unsupported, still honoured) after the command line
  private static final List<String> JAVA_VARIABLES =
      List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
  // `java` options whose value is the next argument: skipped so that it is not taken for the main class
  private static final Set<String> JAVA_VALUE_OPTIONS = Set.of("-cp", "-classpath",
      "--class-path", "-p", "--module-path", "--upgrade-module-path", "--add-modules",
      "--add-opens", "--add-exports", "--add-reads", "--patch-module", "--limit-modules");
  // node options whose value is the next argument
  private static final Set<String> NODE_VALUE_OPTIONS = Set.of("-r", "--require", "-e", "--eval",
      "-p", "--print", "--import", "--loader", "--experimental-loader", "-C", "--conditions",
      "--title", "--inspect-port", "--debug-port", "--input-type", "--env-file");

  private DebugAgentPorts() {}

  /**
   * The JDWP agent's port: from {@code -agentlib:jdwp=...} or {@code -Xrunjdwp:...} among the
   * JVM's options (before the main class or {@code -jar}) or in {@code JAVA_TOOL_OPTIONS},
   * {@code JDK_JAVA_OPTIONS}, {@code _JAVA_OPTIONS}. Only a {@code server=y} socket agent
   * listens; one with {@code server=n} connects out to a debugger that listens itself.
   * {@code address=PORT}, {@code HOST:PORT}, {@code *:PORT}, {@code [::1]:PORT}; none, or
   * port 0, is a port the agent chooses (and prints) as the JVM starts.
   */
  static OptionalInt jdwp(List<String> argv, Map<String, String> env) {
    List<String> options = new ArrayList<>();
    for (String variable : JAVA_VARIABLES) {
      options.addAll(tokens(env.getOrDefault(variable, "")));
    }
    options.addAll(javaOptions(argv));
    OptionalInt port = OptionalInt.empty();
    for (String option : options) {
      String agent = option.startsWith("-agentlib:jdwp=") ? option.substring("-agentlib:jdwp=".length())
          : option.startsWith("-Xrunjdwp:") ? option.substring("-Xrunjdwp:".length()) : null;
      if (agent == null) {
        continue;
      }
      boolean server = false;
      boolean socket = true;
      int at = 0;
      for (String pair : agent.split(",")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        switch (key) {
          case "server" -> server = value.equals("y");
          case "transport" -> socket = value.equals("dt_socket");
          case "address" -> at = portOf(value).orElse(0);
          default -> { }
        }
      }
      if (server && socket) {
        port = OptionalInt.of(at);
      }
    }
    return port;
  }

  /**
   * The inspector's port: {@code --inspect}, {@code --inspect-brk} or {@code --inspect-wait},
   * each with an optional {@code =[HOST:]PORT}, among node's options (before the script) or in
   * {@code NODE_OPTIONS}; {@code --inspect-port} (or {@code --debug-port}) sets the port too.
   * The last port named counts; none is {@value #INSPECTOR_DEFAULT_PORT}.
   */
  static OptionalInt inspector(List<String> argv, Map<String, String> env) {
    List<String> options = new ArrayList<>(tokens(env.getOrDefault("NODE_OPTIONS", "")));
    options.addAll(nodeOptions(argv));
    boolean active = false;
    int port = INSPECTOR_DEFAULT_PORT;
    for (int i = 0; i < options.size(); i++) {
      String option = options.get(i);
      int eq = option.indexOf('=');
      String name = eq < 0 ? option : option.substring(0, eq);
      String value = eq < 0 ? null : option.substring(eq + 1);
      switch (name) {
        case "--inspect", "--inspect-brk", "--inspect-wait" -> active = true;
        case "--inspect-port", "--debug-port" -> {
          if (value == null && i + 1 < options.size()) {
            value = options.get(++i);
          }
        }
        default -> {
          continue;
        }
      }
      if (value != null) {
        port = portOf(value).orElse(port);
      }
    }
    return active ? OptionalInt.of(port) : OptionalInt.empty();
  }

  /** The JVM's own options: from {@code argv[1]} up to the main class, {@code -jar} or {@code -m}. */
  private static List<String> javaOptions(List<String> argv) {
    List<String> options = new ArrayList<>();
    for (int i = 1; i < argv.size(); i++) {
      String a = argv.get(i);
      if (!a.startsWith("-") || a.equals("-jar") || a.equals("-m") || a.equals("--module")) {
        break;
      }
      options.add(a);
      if (JAVA_VALUE_OPTIONS.contains(a)) {
        i++;
      }
    }
    return options;
  }

  /** Node's own options: from {@code argv[1]} up to the script or {@code --}; an {@code -e} script is skipped. */
  private static List<String> nodeOptions(List<String> argv) {
    List<String> options = new ArrayList<>();
    for (int i = 1; i < argv.size(); i++) {
      String a = argv.get(i);
      if (!a.startsWith("-") || a.equals("--") || a.equals("-")) {
        break;
      }
      options.add(a);
      if (NODE_VALUE_OPTIONS.contains(a) && i + 1 < argv.size()) {
        String value = argv.get(++i); // a script of -e is no option, whatever it holds
        if (a.equals("--inspect-port") || a.equals("--debug-port")) {
          options.add(value);
        }
      }
    }
    return options;
  }

  /** The port of {@code PORT}, {@code HOST:PORT}, {@code [V6]:PORT}; empty when there is none. */
  private static OptionalInt portOf(String address) {
    String digits = address.substring(address.lastIndexOf(':') + 1);
    if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
      return OptionalInt.empty();
    }
    int port = Integer.parseInt(digits);
    return port <= 65535 ? OptionalInt.of(port) : OptionalInt.empty();
  }

  /** The words of an options variable, quotes dropped (the JVM and node both allow them). */
  private static List<String> tokens(String value) {
    List<String> tokens = new ArrayList<>();
    for (String t : value.trim().split("\\s+")) {
      if (!t.isEmpty()) {
        tokens.add(t.replace("\"", "").replace("'", ""));
      }
    }
    return tokens;
  }
}
