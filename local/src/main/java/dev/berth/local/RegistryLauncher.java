package dev.berth.local;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Starts a registry daemon as a child process: the one way {@code berth registry start}, a client's
 * auto-start, {@code berth run} (through the client) and the bench start one, so that every
 * registry runs the same main class with the same JVM flags.
 *
 * <p>The command is {@code [setsid] java [-XX:SharedArchiveFile=JSA] FLAGS dev.berth.registry.Main
 * --home DIR [--port N] [--default-port N] [--ports A-B]}, with the class path in {@code $CLASSPATH} rather than
 * {@code -cp}: that keeps the command line {@code ps} and {@code berth who} show short. The
 * child inherits this process's environment, {@code $BERTH_PORTS} (the pool) included, less
 * Berth's own debugger agent in {@code $JAVA_TOOL_OPTIONS} ({@link #withoutBerthAgent}). By
 * default it runs in its own session where {@code setsid} exists (a Ctrl-C or a closing
 * terminal aimed at the starter leaves the shared registry alone), reads {@code /dev/null}
 * and appends its output to {@code registry.log} in the state dir (created 0600). The archive
 * is the daemon's class-data-sharing archive the build made beside the jar, given only when the
 * class path is that jar and it matches ({@link RegistryArchive#matching}): with it the daemon
 * answers its first call sooner; without it, it starts as it would anyway.
 *
 * <pre>{@code
 * Process registry = RegistryLauncher.of(StateDir.of(home).prepare()).ports("20000-20099").start();
 * }</pre>
 *
 * <p>Not thread-safe (a builder); {@link #start()} may be called more than once.
 */
public final class RegistryLauncher {

  /** The port a registry listens on unless told otherwise; if it is taken, another. */
  public static final int DEFAULT_PORT = 62893;
  /** The registry's entry point: plain {@code java} can run it, without the CLI's picocli. */
  public static final String MAIN_CLASS = "dev.berth.registry.Main";
  /**
   * The JVM flags of every registry daemon ({@code berth registry start}, {@code berth registry} through
   * {@code bin/berth}, a client's auto-start, the bench), sized for at most 4,096 leases on a
   * laptop rather than for a server: the serial collector; C1 only, with one compiler thread
   * and a 16 MiB code cache (the registry's hot code fits in ~5 MiB); 256 KiB thread stacks; a
   * heap that starts at 8 MiB with a young generation of at most 8 MiB and is kept compact (free
   * ratios 10-30 %) up to 96 MiB; and Netty's unpooled allocator (its pooled arenas hold
   * several MiB per event-loop thread for messages of a few hundred bytes). The initial heap and
   * young generation count most: with {@code -Xmx128m} alone the JVM commits and touches a
   * 39 MiB young generation at once. Live heap after a full GC is ~7 MiB idle and ~12 KiB more
   * per lease on its own connection, so 96 MiB holds 4,096 such leases (the bench's full run
   * checks it). Figures per flag: {@code docs/design-notes.md}, "Sizing". Before issue 11:
   * {@code -Xss512k -Xmx128m}; with the JVM's defaults a registry held ~430 MiB.
   */
  public static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=16m",
      "-Xss256k", "-Xms8m", "-XX:MaxNewSize=8m", "-Xmx96m",
      "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30",
      // grpc-netty-shaded relocates Netty's system properties too
      "-Dio.grpc.netty.shaded.io.netty.allocator.type=unpooled");

  /**
   * How long a starting registry may take to answer, and how long one that {@code registry.json}
   * names may take before a process decides it is not there: a loaded machine makes a cold
   * registry JVM slow, not absent, and where nothing listens a probe fails at once anyway.
   * {@code berth registry start}, a client's auto-start and its first health check wait this long.
   */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private static final List<String> SETSID = List.of("/usr/bin/setsid", "/bin/setsid");

  /** The variable every JVM reads its options from, where {@code --debug} puts the agent. */
  public static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
  // exactly the option berth run --debug and debug: java add (cli DebugRuntime.option), as a word
  private static final Pattern BERTH_AGENT = Pattern.compile(
      "(^|\\s+)-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127\\.0\\.0\\.1:\\d+(?=\\s|$)");

  private final StateDir stateDir;
  private final List<String> options = new ArrayList<>();
  private List<String> jvmFlags = JVM_FLAGS;
  private String classPath = System.getProperty("java.class.path");
  private boolean toLog = true;

  private RegistryLauncher(StateDir stateDir) {
    this.stateDir = stateDir;
  }

  /** A launcher for the registry of {@code stateDir}, with this JVM's class path. */
  public static RegistryLauncher of(StateDir stateDir) {
    return new RegistryLauncher(stateDir);
  }

  /** {@code --port N}: listen there (0: any free port), no fallback. */
  public RegistryLauncher port(int port) {
    return option("--port", Integer.toString(port));
  }

  /** {@code --default-port N}: the port wanted when none is given, with its fallback (tests). */
  public RegistryLauncher defaultPort(int port) {
    return option("--default-port", Integer.toString(port));
  }

  /** {@code --ports A-B}: the pool; without it the child's {@code $BERTH_PORTS}, else the default. */
  public RegistryLauncher ports(String range) {
    return option("--ports", range);
  }

  /** Other flags than {@link #JVM_FLAGS} (the bench compares them). */
  public RegistryLauncher jvmFlags(List<String> flags) {
    this.jvmFlags = List.copyOf(flags);
    return this;
  }

  /** A class path holding the registry; default this JVM's ({@code java.class.path}). */
  public RegistryLauncher classPath(String classPath) {
    this.classPath = classPath;
    return this;
  }

  /**
   * For a caller that reads the registry's output itself (the bench waits for its
   * {@code listening} line): stdout is piped to the caller, stderr discarded, and the
   * registry stays in the caller's session, so that killing the caller's children kills it.
   */
  public RegistryLauncher outputToCaller() {
    this.toLog = false;
    return this;
  }

  /** {@code registry.log} in the state dir, where the registry's output goes by default. */
  public Path log() {
    return stateDir.file(StateDir.LOG);
  }

  /** The command line {@link #start()} runs. */
  public List<String> command() {
    List<String> command = new ArrayList<>();
    if (toLog) {
      for (String setsid : SETSID) {
        if (Files.isExecutable(Path.of(setsid))) {
          command.add(setsid);
          break;
        }
      }
    }
    command.add(javaBinary());
    RegistryArchive.matching(classPath)
        .ifPresent(archive -> command.add("-XX:SharedArchiveFile=" + archive));
    command.addAll(jvmFlags);
    command.add(MAIN_CLASS);
    command.add("--home");
    command.add(stateDir.path().toString());
    command.addAll(options);
    return command;
  }

  /** Starts the registry; it is not waited for (callers wait for {@code registry.json}). */
  public Process start() throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command());
    builder.environment().put("CLASSPATH", classPath);
    withoutBerthAgent(builder.environment());
    if (toLog) {
      builder.redirectErrorStream(true)
          .redirectOutput(Redirect.appendTo(stateDir.createFile(StateDir.LOG).toFile()));
      File devNull = new File("/dev/null");
      if (devNull.exists()) {
        builder.redirectInput(Redirect.from(devNull));
      }
    } else {
      builder.redirectError(Redirect.DISCARD);
    }
    return builder.start();
  }

  /**
   * Removes from {@code env}'s {@code JAVA_TOOL_OPTIONS} the JDWP agent Berth gave a debugged
   * program ({@code -agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:PORT},
   * word for word), keeping the user's other options; the variable goes when nothing is left.
   * A JVM the debugged program starts (the registry a client in it auto-starts, a
   * {@code berth} command) inherits the variable, and its agent would try the port the
   * program's own agent holds: "transport error 202: bind failed", and that JVM exits. An agent
   * of the user's own (another address, other options) is theirs and kept.
   */
  public static void withoutBerthAgent(Map<String, String> env) {
    String options = env.get(JAVA_TOOL_OPTIONS);
    if (options == null) {
      return;
    }
    String kept = withoutBerthAgent(options);
    if (kept.isEmpty()) {
      env.remove(JAVA_TOOL_OPTIONS);
    } else {
      env.put(JAVA_TOOL_OPTIONS, kept);
    }
  }

  /** {@code options} without Berth's JDWP agent (see {@link #withoutBerthAgent(Map)}), stripped. */
  public static String withoutBerthAgent(String options) {
    return BERTH_AGENT.matcher(options).replaceAll("").strip();
  }

  /** The {@code java} of this JVM. */
  public static String javaBinary() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    if (Files.isExecutable(java)) {
      return java.toString();
    }
    return ProcessHandle.current().info().command().orElse("java");
  }

  private RegistryLauncher option(String name, String value) {
    int at = options.indexOf(name);
    if (at >= 0) {
      options.set(at + 1, value);
    } else {
      options.add(name);
      options.add(value);
    }
    return this;
  }
}
