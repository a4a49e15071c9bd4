package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.stack.ServiceSpec.LeaseMode;
import dev.berth.cli.internal.stack.ServiceSpec.RestartPolicy;
import dev.berth.local.DnsLabel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a foreman Procfile: {@code name: command} lines, {@code #} comments and blank lines.
 * Each line is a service run by {@code sh -c} in the Procfile's directory, with the lease held
 * by the runner (so {@code $PORT} is its sticky berth), endpoint {@code main}, no dependencies,
 * and no restarts: foreman restarts nothing either (it stops everything when one process
 * exits; {@code berth up} leaves the others running and {@code berth restart NAME} brings it
 * back).
 *
 * <p>A {@code .env} beside the Procfile gives every process its variables, as foreman's does
 * ({@link DotEnv}), except the variables Berth sets ({@code PORT} is the process's berth).
 *
 * <p>Stricter than foreman, which skips a line it cannot read: such a line, and a name that is
 * not a DNS label (it becomes the service's name in the registry), is an error naming its line
 * and column.
 *
 * <p>Thread-safe (stateless).
 */
final class Procfile {

  static final RestartPolicy RESTART = new RestartPolicy(RestartPolicy.Mode.NO,
      RestartPolicy.DEFAULT.maxRestarts(), RestartPolicy.DEFAULT.window(),
      RestartPolicy.DEFAULT.backoff(), RestartPolicy.DEFAULT.maxBackoff());

  private static final Pattern LINE = Pattern.compile("([^:\\s]+):(.*)");

  private Procfile() {}

  /** @param dotEnv the text of the {@code .env} beside the file, if there is one */
  static StackFile read(Path file, String text, Optional<String> dotEnv, Map<String, String> environment) {
    Path dir = file.getParent();
    Map<String, String> env = new LinkedHashMap<>(dotEnv.map(DotEnv::parse).orElse(Map.of()));
    // foreman's own PORT wins over the .env's too; here it is the berth the lease holds
    env.keySet().removeIf(ServiceReader::isSetByBerth);
    List<ServiceSpec> services = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int lineNo = i + 1;
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new StackFileException(new SourceMark(file, lineNo, 1), "'" + YamlNodes.shown(line.strip())
            + "' (expected: 'name: command' at the start of the line, a # comment or a blank line)");
      }
      String name = m.group(1);
      if (!DnsLabel.isLabel(name)) {
        String fix = StackNamespace.label(name);
        throw new StackFileException(new SourceMark(file, lineNo, 1), "process name '"
            + YamlNodes.shown(name) + "' is not a DNS label (expected: " + DnsLabel.RULE
            + "; rename it, e.g. '" + fix + "')");
      }
      Integer first = seen.putIfAbsent(name, lineNo);
      if (first != null) {
        throw new StackFileException(new SourceMark(file, lineNo, 1), "duplicate process '" + name
            + "' (first at line " + first + "; keep one)");
      }
      String command = m.group(2).strip();
      int commandColumn = name.length() + 2 + (m.group(2).length() - m.group(2).stripLeading().length());
      SourceMark mark = new SourceMark(file, lineNo, 1);
      if (command.isEmpty()) {
        throw new StackFileException(new SourceMark(file, lineNo, name.length() + 2), "process '" + name
            + "' has no command (expected: 'name: command')");
      }
      Optional<String> problem = Programs.problem("sh", dir, environment.get("PATH"));
      if (problem.isPresent()) {
        throw new StackFileException(new SourceMark(file, lineNo, commandColumn), problem.get());
      }
      services.add(new ServiceSpec(name, List.of("sh", "-c", command), dir, env,
          List.of(EnvTemplate.DEFAULT_ENDPOINT), List.of(), Optional.empty(), RESTART, 1,
          LeaseMode.RUNNER, mark));
    }
    if (services.isEmpty()) {
      throw new StackFileException(file + ": no processes (expected: lines 'name: command')");
    }
    return new StackFile(file, dir, StackNamespace.forDir(dir), StackFile.Kind.PROCFILE, services);
  }
}
