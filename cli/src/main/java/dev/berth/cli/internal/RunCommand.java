package dev.berth.cli.internal;

import dev.berth.cli.internal.stack.StackNamespace;
import dev.berth.client.Berth;
import dev.berth.client.InternalLeases;
import dev.berth.client.Lease;
import dev.berth.local.Namespace;
import dev.berth.registry.internal.PortHolders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code berth run NAME[/ENDPOINT] [--endpoint E]... [--debug] -- CMD ARGS...}: how a program in
 * any language joins Berth. The CLI takes the lease, the child binds {@code $PORT} (and
 * {@code $BERTH_PORT_<ENDPOINT>} for the others), and the instance is visible exactly while the
 * child lives and listens on every one. With {@code --debug} the lease has a {@code debug}
 * endpoint too, sticky like any berth, on which the child's JVM or Node starts its debugger
 * agent ({@link DebugRuntime}). Runs on the main thread.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
      "Run a command as an instance of NAME: Berth assigns a port to each endpoint, the command "
          + "gets the first's in $PORT and each one's in $BERTH_PORT_<ENDPOINT>, and the instance "
          + "is live from when it (or a process it started) listens on all of them, on 127.0.0.1 "
          + "or ::1, until it exits; in the namespace of -n, $BERTH_NAMESPACE or this directory's "
          + "stack, passed on in $BERTH_NAMESPACE. If another process takes a port first, the "
          + "command is restarted once on a new one. SIGINT/SIGTERM are forwarded; berth exits "
          + "with its code.",
      "--debug adds the endpoint 'debug', whose port is the same every run, and starts the "
          + "program's debugger there on 127.0.0.1: a JVM's JDWP agent through $JAVA_TOOL_OPTIONS, "
          + "Node's inspector through $NODE_OPTIONS (the program must be java or node, also "
          + "behind sh -c or env; else say --debug-runtime). Berth never connects to it.",
      "Starts a registry in the background if none runs (its pool: $BERTH_PORTS, else the default)."},
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth run web -- node server.js",
      "  berth run docs -- sh -c 'exec python3 -m http.server \"$PORT\" --bind 127.0.0.1'",
      "  berth run web --endpoint http --endpoint admin -- python3 app.py",
      "  berth run --debug orders -- java -jar orders.jar"})
public final class RunCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "NAME[/ENDPOINT]", converter = ServiceTarget.Converter.class,
      description = "The service the command serves, optionally with its first endpoint "
          + "(default: main, or the first --endpoint).")
  ServiceTarget target;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD",
      description = "The command and its arguments (after --).")
  List<String> command;

  @Option(names = "--endpoint", paramLabel = "ENDPOINT", converter = RunEndpoints.Converter.class,
      description = "An endpoint of the instance, each with a port in $BERTH_PORT_<ENDPOINT>; "
          + "repeatable, in order (the first is $PORT's).")
  List<String> endpoints = new ArrayList<>();

  @Option(names = "--port", paramLabel = "N",
      description = "Ask for this port for the first endpoint (an OAuth callback registered at "
          + "8080, say); fails naming the holder if another process has it; 0: let the registry "
          + "choose, as without it.")
  Integer port;

  @Option(names = "--debug",
      description = "Start the program's debugger on the sticky port of the endpoint 'debug' "
          + "(JDWP for java, the inspector for node); an --endpoint debug of your own is refused "
          + "with it (without it, that endpoint is plain, for an agent you start yourself).")
  boolean debug;

  @Option(names = "--debug-runtime", paramLabel = "java|node", converter = RunEndpoints.RuntimeConverter.class,
      description = "The debugger to start, for a program --debug cannot tell (a script, say); "
          + "implies --debug.")
  DebugRuntime debugRuntime;

  // the registry reserves ports for at most 600 s; the lease asks for the timeout plus this
  private static final int RESERVATION_MARGIN_SECONDS = 10;
  private static final int MAX_READY_TIMEOUT_SECONDS = 590;
  private static final int MAX_COMMAND_SHOWN = 60;
  private String namespace = "";
  private RunEndpoints leased;

  @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "How long the command may take to listen on its ports (default: ${DEFAULT-VALUE}).")
  int readyTimeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    if (port != null && (port < 0 || port > 65535)) {
      throw new ParameterException(spec.commandLine(), "--port: " + port + " (expected: 0..65535)");
    }
    if (readyTimeoutSeconds < 1 || readyTimeoutSeconds > MAX_READY_TIMEOUT_SECONDS) {
      throw new ParameterException(spec.commandLine(), "--ready-timeout: " + readyTimeoutSeconds
          + " (expected: 1.." + MAX_READY_TIMEOUT_SECONDS + " seconds)");
    }
    leased = RunEndpoints.of(target, endpoints, debugger());
    // refused before a registry starts: the user's own agent, on the command line or in a variable
    leased.refuseAgentOfTheCommand(command, System.getenv());
    CliContext ctx = ctx();
    namespace = ctx.namespace();
    PortHolders holders = PortHolders.system();
    try (Berth berth = ctx.connectOrStart()) {
      Lease lease = attach(berth);
      try {
        Map<String, Integer> ports = new LinkedHashMap<>();
        leased.names.forEach(ep -> ports.put(ep, lease.port(ep)));
        if (leased.debug.isPresent()) {
          DebugPortMoved.atAttach(berth, namespace, target.service, ports.get(DebugRuntime.ENDPOINT))
              .ifPresent(line -> {
                ctx.err().println("berth: " + line);
                ctx.err().flush();
              });
        }
        boolean restarted = false;
        while (true) {
          Process child = start(ctx, ports);
          ChildSignals signals = ChildSignals.forward(child);
          try {
            PortWaiter.Waited waited = await(ctx, child, ports, holders);
            if (waited.result().kind() != PortWaiter.Kind.TAKEN) {
              return supervise(ctx, lease, child, ports, waited);
            }
            String endpoint = waited.endpoint();
            int taken = ports.get(endpoint);
            String holder = waited.result().holder().map(PortHolders.Holder::describe).orElse("another process");
            if (restarted) {
              ctx.err().println("berth: port " + taken + " was taken by " + holder + " before "
                  + target + " listened on it, a second time; giving up");
              ctx.err().flush();
              return 1;
            }
            ChildSignals.stop(child, Duration.ofSeconds(5));
            // a conflict like any other: counted and its holder named by the registry
            int next = InternalLeases.bindFailed(lease, endpoint, "taken by " + holder + " before the command listened");
            ctx.err().println(endpoint.equals(DebugRuntime.ENDPOINT)
                ? "berth: " + DebugPortMoved.line(taken, next, holder, target.service)
                : "berth: port " + taken + " was taken by " + holder + " before "
                    + target + " listened on it; restarting it once on port " + next);
            ctx.err().flush();
            ports.put(endpoint, next);
            restarted = true;
          } finally {
            signals.close();
            ChildSignals.stop(child, Duration.ofSeconds(5));
          }
        }
      } finally {
        lease.close(); // the instance disappears at once
      }
    }
  }

  /**
   * The runtime {@code --debug-runtime} names or, for {@code --debug}, the one the command
   * starts; empty without either.
   */
  private Optional<DebugRuntime> debugger() {
    if (debugRuntime != null) {
      return Optional.of(debugRuntime);
    }
    if (!debug) {
      return Optional.empty();
    }
    Optional<DebugRuntime> detected = DebugRuntime.detect(command);
    if (detected.isEmpty()) {
      String shown = String.join(" ", command);
      if (shown.length() > MAX_COMMAND_SHOWN) {
        shown = shown.substring(0, MAX_COMMAND_SHOWN) + "...";
      }
      throw new ParameterException(spec.commandLine(), "--debug: cannot tell which debugger '"
          + shown + "' takes (expected: java or node as the program, e.g. '-- java -jar app.jar', "
          + "or --debug-runtime java|node)");
    }
    return detected;
  }

  private Lease attach(Berth berth) {
    var lease = berth.lease(target.service)
        .pid(ProcessHandle.current().pid())
        // the ports must stay ours for as long as we are willing to wait for the command
        .reservation(Duration.ofSeconds(readyTimeoutSeconds + RESERVATION_MARGIN_SECONDS))
        .metadata("command", String.join(" ", command));
    leased.names.forEach(lease::endpoint);
    leased.debug.ifPresent(r -> lease.metadata(DebugRuntime.METADATA_KEY, r.metadataValue()));
    if (port != null && port != 0) { // 0: the registry chooses, as without --port
      lease.requestPort(leased.first(), port);
    }
    return lease.attach();
  }

  private Process start(CliContext ctx, Map<String, Integer> ports) {
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    Map<String, String> env = builder.environment();
    ChildEnv.ports(env, leased.first(), ports);
    leased.debug.ifPresent(r -> r.apply(env, ports.get(DebugRuntime.ENDPOINT)));
    if (!namespace.isEmpty()) {
      env.put(Namespace.ENV, namespace);
    } else if (StackNamespace.locate(Path.of("")).isPresent()) {
      env.put(Namespace.ENV, Namespace.DEFAULT_WORD); // not the stack's, which "" would mean here
    } else {
      env.remove(Namespace.ENV);
    }
    ChildEnv.berth(env, ctx, target.service);
    return ChildEnv.start(builder);
  }

  private PortWaiter.Waited await(CliContext ctx, Process child, Map<String, Integer> ports,
      PortHolders holders) throws InterruptedException {
    ctx.err().println("berth: started " + target + (namespace.isEmpty() ? "" : " in namespace " + namespace)
        + " (pid " + child.pid() + "); waiting up to "
        + readyTimeoutSeconds + " s for it to listen on " + leased.describe(ports));
    ctx.err().flush();
    return PortWaiter.awaitAll(child, ports, Duration.ofSeconds(readyTimeoutSeconds), holders, ctx.err());
  }

  private int supervise(CliContext ctx, Lease lease, Process child, Map<String, Integer> ports,
      PortWaiter.Waited waited) throws InterruptedException {
    String what = target + " (pid " + child.pid() + ")";
    String endpoint = waited.endpoint();
    String port = ports.get(endpoint) + (endpoint.equals(leased.first()) ? "" : " (" + endpoint + ")");
    switch (waited.result().kind()) {
      case EXITED:
        ctx.err().println("berth: " + what + " exited with code " + child.exitValue()
            + " before it listened on port " + port);
        ctx.err().flush();
        return child.exitValue();
      case TIMED_OUT:
        ctx.err().println("berth: " + what + " did not listen on port " + port + " within "
            + readyTimeoutSeconds + " s (" + leased.hint(endpoint) + "); stopping it");
        ctx.err().flush();
        ChildSignals.stop(child, Duration.ofSeconds(5));
        return 1;
      case LISTENING:
      default:
        break;
    }
    lease.ready();
    ctx.err().println("berth: " + what + " live on " + leased.live(waited.addresses()));
    ctx.err().flush();
    return child.waitFor();
  }
}
