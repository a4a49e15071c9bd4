package dev.berth.cli.internal;

import dev.berth.cli.internal.ide.IntellijRunConfig;
import dev.berth.cli.internal.ide.ProjectFile;
import dev.berth.cli.internal.ide.VsCodeLaunch;
import dev.berth.cli.internal.stack.ServiceSpec;
import dev.berth.cli.internal.stack.StackFileException;
import dev.berth.cli.internal.stack.StackFiles;
import dev.berth.cli.internal.stack.StackNamespace;
import dev.berth.client.Berth;
import dev.berth.client.BerthWatch;
import dev.berth.local.DnsLabel;
import dev.berth.proto.v1.BerthsRequest;
import dev.berth.proto.v1.BerthsResponse;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.ListResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code berth debug NAME}: the sticky address of a service's debugger agent (its
 * {@code debug} endpoint, {@link DebugRuntime}), live or remembered, and IDE attach
 * configurations that point at it ({@code --intellij}, {@code --vscode}). Looked up in the
 * command's namespace by the rule of every command ({@link DebugLookup}). {@code --wait}
 * blocks on a watch of (NAME, debug) until an instance is live, for an IDE's "before launch"
 * step. Runs on the calling thread; the watch's listener only releases it.
 */
@Command(name = "debug", mixinStandardHelpOptions = true,
    description = "Print the address of NAME's debug endpoint (the same every run), live or "
        + "remembered, with its runtime, pid and instance; write IDE attach configurations "
        + "that point at it.")
public final class DebugCommand extends BaseCommand {

  private static final int MAX_TIMEOUT_SECONDS = 3600;

  @Parameters(index = "0", paramLabel = "NAME", description = "The service.")
  String name;

  @Option(names = "--intellij", description = "Write .run/NAME-debug.run.xml (IntelliJ's Remote "
      + "JVM Debug, or attach to Node.js) in the project dir: the berth.yaml's, else this one.")
  boolean intellij;

  @Option(names = "--vscode", description = "Add or update the entry 'NAME (berth debug)' of "
      + ".vscode/launch.json in the project dir, keeping its other entries.")
  boolean vscode;

  @Option(names = "--runtime", paramLabel = "java|node", description = "The runtime when NAME is "
      + "not live and its berth.yaml entry says none (default: java).")
  String runtimeWord;

  @Option(names = "--wait", description = "Wait until NAME is live with its debug endpoint.")
  boolean await;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long --wait waits "
      + "(default: 120; at most " + MAX_TIMEOUT_SECONDS + ").")
  Integer timeoutSeconds;

  @Override
  public Integer call() {
    checkOptions();
    CliContext ctx = ctx();
    String namespace = ctx.namespace();
    Path cwd = Path.of("");
    int port;
    Optional<DebugRuntime> runtime;
    try (Berth berth = ctx.connect()) {
      List<DebugLookup.Live> live = await ? awaitLive(ctx, berth, namespace) : live(ctx, berth, namespace);
      if (!live.isEmpty()) {
        for (DebugLookup.Live l : live) {
          ctx.out().println(name + ": " + l.address() + ", " + l.runtime().map(DebugCommand::describe)
              .orElse("runtime unknown") + ", pid " + l.pid() + ", instance " + l.instanceId());
        }
        port = live.get(0).port();
        runtime = live.get(0).runtime();
      } else {
        OptionalInt remembered = DebugLookup.remembered(berths(ctx, berth), name, namespace);
        DebugRuntime fallback = fallbackRuntime(cwd);
        runtime = Optional.of(fallback);
        if (remembered.isEmpty()) {
          throw CliException.failure("no debug port for '" + name + "'" + in(namespace)
              + " yet: it never ran with a debugger; " + howToStart(fallback));
        }
        port = remembered.getAsInt();
        ctx.out().println(name + ": 127.0.0.1:" + port + ", remembered");
        ctx.err().println("berth: " + name + in(namespace) + " is not running with a debugger now; "
            + howToStart(fallback));
      }
    }
    ctx.out().flush();
    ctx.err().flush();
    if (intellij || vscode) {
      writeIdeFiles(ctx, runtime.orElseGet(() -> fallbackRuntime(cwd)), port, cwd);
    }
    return 0;
  }

  private void checkOptions() {
    if (!DnsLabel.isLabel(name)) {
      throw new ParameterException(spec.commandLine(),
          "service name '" + name + "' (expected: " + DnsLabel.RULE + ")");
    }
    if (runtimeWord != null && DebugRuntime.ofWord(runtimeWord).isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--runtime '" + runtimeWord + "' (expected: java or node)");
    }
    if (timeoutSeconds != null && !await) {
      throw new ParameterException(spec.commandLine(), "--timeout " + timeoutSeconds + " without --wait (expected: both)");
    }
    if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS)) {
      throw new ParameterException(spec.commandLine(),
          "--timeout " + timeoutSeconds + " (expected: 1.." + MAX_TIMEOUT_SECONDS + " seconds)");
    }
  }

  private List<DebugLookup.Live> live(CliContext ctx, Berth berth, String namespace) {
    ListResponse list = ctx.ask(berth, stub -> stub.list(ListRequest.getDefaultInstance()));
    return DebugLookup.live(list, name, namespace);
  }

  /**
   * Blocks until a lookup finds a live debug endpoint of NAME, or the timeout. The watch says
   * when something changed; {@link #live} then reads the instances' runtime and pid, which a
   * snapshot does not carry.
   */
  private List<DebugLookup.Live> awaitLive(CliContext ctx, Berth berth, String namespace) {
    int seconds = timeoutSeconds == null ? 120 : timeoutSeconds;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Semaphore changed = new Semaphore(0);
    try (BerthWatch watch = berth.watch(name + "/" + DebugRuntime.ENDPOINT, addresses -> {
      if (!addresses.isEmpty()) {
        changed.release();
      }
    })) {
      List<DebugLookup.Live> live = live(ctx, berth, namespace);
      if (live.isEmpty()) {
        ctx.err().println("berth: waiting up to " + seconds + "s for " + name + in(namespace)
            + " to go live with a debug endpoint");
        ctx.err().flush();
      }
      while (live.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !changed.tryAcquire(left, TimeUnit.NANOSECONDS)) {
          throw CliException.failure(name + in(namespace) + " did not go live with a debug endpoint within "
              + seconds + "s: " + howToStart(fallbackRuntime(Path.of(""))) + " (or wait longer with --timeout)");
        }
        live = live(ctx, berth, namespace);
      }
      return live;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted while waiting for " + name, e);
    }
  }

  private BerthsResponse berths(CliContext ctx, Berth berth) {
    try {
      return ctx.ask(berth, stub -> stub.berths(BerthsRequest.getDefaultInstance()));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        throw CliException.failure("the running registry is older than this berth (it cannot list "
            + "remembered berths): restart it with 'berth registry stop' and 'berth registry start'", e);
      }
      throw e;
    }
  }

  /**
   * The runtime when no live instance says it: the stack file's {@code debug:} for NAME, else
   * {@code --runtime}, else Java. A stack file that cannot be read is said in one line and
   * passed over: printing a port should not fail for it.
   */
  private DebugRuntime fallbackRuntime(Path cwd) {
    Optional<DebugRuntime> fromStack = Optional.empty();
    if (StackNamespace.locate(cwd).isPresent()) {
      try {
        fromStack = StackFiles.load(cwd, Optional.empty()).service(name).flatMap(ServiceSpec::debug);
      } catch (StackFileException e) {
        ctx().err().println("berth: " + OneLine.of(e.getMessage()) + " (its debug: not read)");
        ctx().err().flush();
      }
    }
    return fromStack.or(() -> Optional.ofNullable(runtimeWord).flatMap(DebugRuntime::ofWord))
        .orElse(DebugRuntime.JAVA);
  }

  private void writeIdeFiles(CliContext ctx, DebugRuntime runtime, int port, Path cwd) {
    Path project = StackNamespace.locate(cwd).orElse(cwd.toAbsolutePath().normalize());
    String unreadable = null;
    try {
      if (intellij) {
        Path file = IntellijRunConfig.path(project, name);
        boolean written = ProjectFile.write(file, IntellijRunConfig.xml(name, runtime, port));
        ctx.out().println(written ? "wrote " + file : file + ": already up to date");
      }
      if (vscode) {
        var entry = VsCodeLaunch.entry(name, runtime, port);
        try {
          VsCodeLaunch.Outcome outcome = VsCodeLaunch.update(VsCodeLaunch.path(project), entry);
          ctx.out().println(!outcome.written() ? outcome.file() + ": already up to date"
              : "wrote " + outcome.file() + outcome.backup().map(b -> " (its comments are not kept: "
                  + "the file as it was is " + b + ")").orElse(""));
        } catch (VsCodeLaunch.Unreadable e) {
          unreadable = e.getMessage() + ": left as it is; fix it, or add this entry by hand: "
              + VsCodeLaunch.oneLine(entry);
        }
      }
    } catch (IOException e) {
      throw CliException.failure("cannot write in " + project + ": " + e.getMessage(), e);
    }
    ctx.out().flush();
    if (unreadable != null) {
      throw CliException.failure(unreadable);
    }
  }

  /** "Java (JDWP)" or "Node (inspector)". */
  private static String describe(DebugRuntime runtime) {
    return runtime == DebugRuntime.NODE ? "Node (inspector)" : "Java (JDWP)";
  }

  private static String in(String namespace) {
    return namespace.isEmpty() ? "" : " in namespace " + namespace;
  }

  private String howToStart(DebugRuntime runtime) {
    return "start it with 'berth run --debug " + name + " -- " + runtime.word() + " ...' (or 'debug: true' in berth.yaml)";
  }
}
