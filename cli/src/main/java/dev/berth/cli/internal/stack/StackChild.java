package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.ChildEnv;
import dev.berth.cli.internal.CliException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts one process of a service: in a session and process group of its own ({@code setsid}),
 * so that a terminal's Ctrl-C reaches only the supervisor (which stops the stack in order) and a
 * stop can signal the whole group; stdin from {@code /dev/null}; stdout and stderr read line by
 * line, each on a thread of its own, into the {@link StackOutput}. Stateless.
 */
final class StackChild {

  private static final File DEV_NULL = new File("/dev/null");
  /** Where there is no setsid (macOS), children share the supervisor's group. */
  private static final String SETSID = onPath("setsid");

  private StackChild() {}

  /**
   * Starts {@code spec}'s command as instance {@code index}, with {@code env} added to the
   * supervisor's environment.
   *
   * @throws dev.berth.cli.internal.CliException naming the program when it cannot be run
   */
  static Process start(ServiceSpec spec, int index, Map<String, String> env, StackOutput out) {
    List<String> command = new ArrayList<>();
    if (SETSID != null) {
      command.add(SETSID); // the child is not a group leader, so setsid execs it in place: same pid
    }
    command.addAll(spec.command());
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(spec.dir().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
    builder.environment().putAll(env);
    if (!Files.isDirectory(spec.dir())) {
      throw CliException.failure("dir " + spec.dir() + ": no such directory");
    }
    Process process = ChildEnv.start(SETSID == null ? builder : programFirst(builder, spec));
    read(process.getInputStream(), spec.name(), index, StackOutput.Stream.OUT, out);
    read(process.getErrorStream(), spec.name(), index, StackOutput.Stream.ERR, out);
    return process;
  }

  /**
   * setsid would report a missing program itself, after the start: look it up first, on the
   * child's own $PATH (the service's {@code env} may set one), so that "cannot run 'x'" is said as
   * for {@code berth run}.
   */
  private static ProcessBuilder programFirst(ProcessBuilder builder, ServiceSpec spec) {
    Programs.problem(spec.command().get(0), spec.dir(), builder.environment().get("PATH"))
        .ifPresent(problem -> {
          throw dev.berth.cli.internal.CliException.withExitCode(127, "cannot run " + problem, null);
        });
    return builder;
  }

  private static void read(InputStream in, String service, int index, StackOutput.Stream stream,
      StackOutput out) {
    Thread reader = new Thread(() -> {
      try (InputStreamReader text = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        BoundedLines.forEach(text, BoundedLines.MAX_CHARS, line -> out.line(service, index, stream, line));
      } catch (IOException e) {
        // the pipe closed under us: the process is gone
      }
    }, "berth-up-" + service + "." + index + "-" + stream.name().toLowerCase(java.util.Locale.ROOT));
    reader.setDaemon(true);
    reader.start();
  }

  private static String onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, program);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return candidate.toString();
        }
      }
    }
    return null;
  }
}
