package dev.berth.cli.internal;

import dev.berth.cli.BerthCli;
import dev.berth.proto.v1.RegistryInfo;
import dev.berth.registry.BerthRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth up}: a registry in the background; returns once it answers. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Start a registry in the background (output in <state dir>/registry.log) and "
        + "return once it answers. Does nothing if one already runs."})
public final class UpCommand extends BaseCommand {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  @Option(names = "--port", paramLabel = "N",
      description = "Port to listen on (default 62893, another if that is taken; 0: any free port).")
  Integer port;

  @Option(names = "--ports", paramLabel = "A-B",
      description = "The pool of ports to hand out (default: $BERTH_PORTS, else the span above "
          + "the OS's ephemeral range, e.g. 61000-65535).")
  String ports;

  @Override
  public Integer call() throws IOException, InterruptedException {
    CliContext ctx = ctx();
    Path home = ctx.home();
    Optional<RegistryInfo> running = ctx.registryFile()
        .filter(info -> RegistryProbe.answers(info.getAddress(), RegistryProbe.PATIENCE));
    if (running.isPresent()) {
      ctx.out().println("berth registry already running on " + running.get().getAddress()
          + " (pid " + running.get().getPid() + ", state " + home + ")");
      ctx.out().flush();
      return 0;
    }

    Files.createDirectories(home);
    Path log = home.resolve("registry.log");
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      command.add(SETSID.toString()); // its own session: a closing terminal does not stop it
    }
    List<String> args = new ArrayList<>(List.of("--home", home.toString(), "registry"));
    if (port != null) {
      args.add("--port");
      args.add(port.toString());
    }
    if (ports != null) {
      args.add("--ports");
      args.add(ports);
    }
    command.addAll(JavaCommand.of(BerthRegistry.DAEMON_JVM_FLAGS, BerthCli.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    File devNull = new File("/dev/null");
    if (devNull.exists()) {
      builder.redirectInput(devNull);
    }
    Process process = builder.start();

    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<RegistryInfo> info = ctx.registryFile();
      if (info.isPresent() && ProcessHandle.of(info.get().getPid()).isPresent()
          && RegistryProbe.answers(info.get().getAddress(), Duration.ofSeconds(1))) {
        ctx.out().println("berth registry listening on " + info.get().getAddress()
            + " (pid " + info.get().getPid() + ", state " + home + ", log " + log + ")");
        ctx.out().flush();
        return 0;
      }
      if (!process.isAlive() && process.exitValue() != 0) {
        throw CliException.failure("the registry exited with code " + process.exitValue()
            + lastLine(log) + " (log " + log + ")");
      }
      Thread.sleep(50);
    }
    process.destroy();
    throw CliException.failure("the registry did not answer within " + START_TIMEOUT.toSeconds()
        + " s (log " + log + ")");
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (!lines.get(i).isBlank()) {
          return ": " + lines.get(i).strip();
        }
      }
    } catch (IOException e) {
      // the log is only a hint
    }
    return "";
  }
}
