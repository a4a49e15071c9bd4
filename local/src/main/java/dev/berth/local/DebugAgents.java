package dev.berth.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one reading of a process's debugger agents from its command line and environment, so that
 * the CLI ({@code berth who}, {@code doctor}, {@code run --debug}, {@code debug:} in berth.yaml)
 * and the client library (the {@code debug} endpoint of {@code lease: self}) agree on them: a
 * JVM's JDWP agents ({@code -agentlib:jdwp=} or {@code -Xrunjdwp:} among the options before the
 * main class or {@code -jar}, and in {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS},
 * {@code _JAVA_OPTIONS}) and Node's inspector ({@code --inspect[-brk|-wait][=[HOST:]PORT]},
 * {@code --inspect-port} before the script, and in {@code NODE_OPTIONS}). A command behind
 * {@code sh -c '[exec] [VAR=value...] PROGRAM ...'} or {@code env [VAR=value...] PROGRAM} is
 * read as {@code PROGRAM}'s, the assignments added to its environment.
 *
 * <pre>{@code
 * for (DebugAgents.Agent a : DebugAgents.of(List.of("java", "-agentlib:jdwp=server=y,address=5005", "-jar", "app.jar"), Map.of())) {
 *   a.port();        // 5005
 *   a.describe();    // "-agentlib:jdwp=server=y,address=5005 on the command line"
 * }
 * }</pre>
 *
 * <p>Also the names every Berth process uses for a debugger's endpoint. Stateless; thread-safe.
 */
public final class DebugAgents {

  /** The endpoint a debugger agent listens on, in {@code berth run --debug} and {@code debug:}. */
  public static final String ENDPOINT = "debug";
  /** The lease metadata key whose value is {@link Kind#metadataValue()}. */
  public static final String METADATA_KEY = "debug";
  /**
   * For a program that joins Berth itself ({@code lease: self}): the port its JDWP agent listens
   * on, which the library adds to the lease of {@code $BERTH_SERVICE} as endpoint {@link #ENDPOINT}.
   */
  public static final String PORT_ENV = "BERTH_DEBUG_PORT";
  /** Node's inspector port when {@code --inspect} names none. */
  public static final int INSPECTOR_DEFAULT_PORT = 9229;
  /**
   * The variables a JVM reads options from besides its command line: the first for every JVM,
   * the second for the {@code java} launcher (JDK 9+), the third (unsupported, still honoured).
   */
  public static final List<String> JAVA_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
  /** The variable node reads options from besides its command line. */
  public static final String NODE_VARIABLE = "NODE_OPTIONS";

  private static final String COMMAND_LINE = "the command line";
  // `java` options whose value is the next argument: skipped so that it is not taken for the main class
  private static final Set<String> JAVA_VALUE_OPTIONS = Set.of("-cp", "-classpath",
      "--class-path", "-p", "--module-path", "--upgrade-module-path", "--add-modules",
      "--add-opens", "--add-exports", "--add-reads", "--patch-module", "--limit-modules");
  // node options whose value is the next argument
  private static final Set<String> NODE_VALUE_OPTIONS = Set.of("-r", "--require", "-e", "--eval",
      "-p", "--print", "--import", "--loader", "--experimental-loader", "-C", "--conditions",
      "--title", "--inspect-port", "--debug-port", "--input-type", "--env-file");

  private DebugAgents() {}

  /** Which agent. */
  public enum Kind {
    /** A JVM's JDWP agent. */
    JDWP("jdwp"),
    /** Node's inspector. */
    INSPECTOR("inspector");

    private final String metadataValue;

    Kind(String metadataValue) {
      this.metadataValue = metadataValue;
    }

    /** "jdwp" or "inspector": the lease metadata value under {@link #METADATA_KEY}. */
    public String metadataValue() {
      return metadataValue;
    }
  }

  /**
   * One agent a process starts.
   *
   * @param option the option that starts it, as found ({@code -agentlib:jdwp=...}, {@code --inspect=9230})
   * @param source where: {@code "the command line"} or the variable's name
   * @param listens a JDWP agent with {@code server=y} on {@code dt_socket} (one with {@code
   *     server=n} connects out instead); an inspector always listens
   * @param deferred a JDWP agent that listens only on an event ({@code onthrow}, {@code
   *     onuncaught}, {@code launch})
   * @param port the port named; 0 when the agent chooses (none named, or 0)
   */
  public record Agent(Kind kind, String option, String source, boolean listens, boolean deferred, int port) {

    /** "OPTION on the command line" or "OPTION in VARIABLE": for a one-line message. */
    public String describe() {
      return option + (source.equals(COMMAND_LINE) ? " on " : " in ") + source;
    }
  }

  /**
   * The agents {@code argv} with {@code env} starts, JDWP ones first, in the order the JVM reads
   * them (its variables, then its command line); at most one inspector (node starts one, on the
   * last port named).
   */
  public static List<Agent> of(List<String> argv, Map<String, String> env) {
    Map<String, String> environment = new LinkedHashMap<>(env);
    List<String> program = program(argv, environment);
    List<Agent> agents = new ArrayList<>();
    for (String variable : JAVA_VARIABLES) {
      tokens(environment.getOrDefault(variable, "")).forEach(o -> jdwp(o, variable).ifPresent(agents::add));
    }
    javaOptions(program).forEach(o -> jdwp(o, COMMAND_LINE).ifPresent(agents::add));
    inspector(environment, nodeOptions(program)).ifPresent(agents::add);
    return agents;
  }

  /** The JDWP agents only. */
  public static List<Agent> jdwp(List<String> argv, Map<String, String> env) {
    return of(argv, env).stream().filter(a -> a.kind() == Kind.JDWP).toList();
  }

  /** The inspector, if node starts one. */
  public static Optional<Agent> inspector(List<String> argv, Map<String, String> env) {
    return of(argv, env).stream().filter(a -> a.kind() == Kind.INSPECTOR).findFirst();
  }

  /**
   * The argv of the program {@code argv} runs: itself, or what follows {@code sh -c} / {@code bash
   * -c} (its words up to the first operator, quotes dropped), {@code env} or {@code exec}, the
   * {@code VAR=value} assignments before the program skipped. Empty for an empty argv.
   */
  public static List<String> program(List<String> argv) {
    return program(argv, new LinkedHashMap<>());
  }

  /** {@link #program(List)}, the skipped assignments put into {@code env}. */
  private static List<String> program(List<String> argv, Map<String, String> env) {
    if (argv.isEmpty()) {
      return argv;
    }
    String first = base(argv.get(0));
    if ((first.equals("sh") || first.equals("bash")) && argv.size() >= 3 && argv.get(1).equals("-c")) {
      return program(words(argv.get(2)), env);
    }
    if (first.equals("env") || first.equals("exec")) {
      List<String> rest = argv.subList(1, argv.size());
      while (!rest.isEmpty() && isAssignment(rest.get(0))) {
        assign(rest.get(0), env);
        rest = rest.subList(1, rest.size());
      }
      return program(rest, env);
    }
    if (isAssignment(argv.get(0))) { // from sh -c 'VAR=value PROGRAM'
      assign(argv.get(0), env);
      return program(argv.subList(1, argv.size()), env);
    }
    return argv;
  }

  private static boolean isAssignment(String word) {
    int eq = word.indexOf('=');
    return eq > 0 && !word.startsWith("-");
  }

  private static void assign(String word, Map<String, String> env) {
    int eq = word.indexOf('=');
    env.put(word.substring(0, eq), word.substring(eq + 1));
  }

  /** The words of a {@code sh -c} string up to its first operator, quotes dropped. */
  private static List<String> words(String script) {
    List<String> words = new ArrayList<>();
    for (String w : script.trim().split("\\s+")) {
      if (w.equals("&&") || w.equals(";") || w.equals("|") || w.equals("||")) {
        break;
      }
      boolean last = w.endsWith(";"); // `java Main; echo`: the command ends with its word
      String word = last ? w.substring(0, w.length() - 1) : w;
      if (!word.isEmpty()) {
        words.add(word.replace("\"", "").replace("'", ""));
      }
      if (last) {
        break;
      }
    }
    return words;
  }

  private static String base(String program) {
    Path name = Path.of(program).getFileName();
    return name == null ? program : name.toString();
  }

  private static Optional<Agent> jdwp(String option, String source) {
    String agent = option.startsWith("-agentlib:jdwp=") ? option.substring("-agentlib:jdwp=".length())
        : option.startsWith("-Xrunjdwp:") ? option.substring("-Xrunjdwp:".length())
        : option.equals("-agentlib:jdwp") || option.equals("-Xrunjdwp") ? "" : null;
    if (agent == null) {
      return Optional.empty();
    }
    boolean server = false;
    boolean socket = true;
    boolean deferred = false;
    int port = 0;
    for (String pair : agent.split(",")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      switch (key) {
        case "server" -> server = value.equals("y");
        case "transport" -> socket = value.equals("dt_socket");
        case "address" -> port = Math.max(0, portOf(value));
        case "onthrow", "onuncaught", "launch" -> deferred = true;
        default -> { }
      }
    }
    return Optional.of(new Agent(Kind.JDWP, option, source, server && socket, deferred, port));
  }

  private static Optional<Agent> inspector(Map<String, String> env, List<String> commandLine) {
    List<String[]> options = new ArrayList<>(); // {option, source}
    tokens(env.getOrDefault(NODE_VARIABLE, "")).forEach(o -> options.add(new String[] {o, NODE_VARIABLE}));
    commandLine.forEach(o -> options.add(new String[] {o, COMMAND_LINE}));
    String[] found = null;
    int port = INSPECTOR_DEFAULT_PORT;
    for (int i = 0; i < options.size(); i++) {
      String option = options.get(i)[0];
      int eq = option.indexOf('=');
      String name = eq < 0 ? option : option.substring(0, eq);
      String value = eq < 0 ? null : option.substring(eq + 1);
      switch (name) {
        case "--inspect", "--inspect-brk", "--inspect-wait" -> {
          if (found == null) {
            found = options.get(i);
          }
        }
        case "--inspect-port", "--debug-port" -> {
          if (value == null && i + 1 < options.size()) {
            value = options.get(++i)[0];
          }
        }
        default -> {
          continue;
        }
      }
      if (value != null) {
        int named = portOf(value);
        port = named < 0 ? port : named;
      }
    }
    return found == null ? Optional.empty()
        : Optional.of(new Agent(Kind.INSPECTOR, found[0], found[1], true, false, port));
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

  /** The port of {@code PORT}, {@code HOST:PORT}, {@code *:PORT}, {@code [V6]:PORT}; -1 when there is none. */
  private static int portOf(String address) {
    String digits = address.substring(address.lastIndexOf(':') + 1);
    if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    int port = Integer.parseInt(digits);
    return port <= 65535 ? port : -1;
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
