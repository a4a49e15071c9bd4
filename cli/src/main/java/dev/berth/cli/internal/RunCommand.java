package dev.berth.cli.internal;

import dev.berth.cli.internal.stack.StackNamespace;
import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.InternalLeases;
import dev.berth.client.Lease;
import dev.berth.local.Namespace;
import dev.berth.registry.internal.PortHolders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code berth run NAME[/ENDPOINT] -- CMD ARGS...}: how a program in any language joins Berth. The
 * CLI takes the lease, the child binds {@code $PORT}, and the instance is visible exactly while
 * the child lives and listens.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
      "Run a command as an instance of NAME: Berth assigns a port, the command gets it in $PORT "
          + "and $BERTH_PORT_<ENDPOINT>, and the instance is live from when it (or a process it "
          + "started) listens on $PORT, on 127.0.0.1 or ::1, until it exits; in the namespace of "
          + "-n, $BERTH_NAMESPACE or this directory's stack, passed on in $BERTH_NAMESPACE. If "
          + "another process takes the port first, the command is restarted once on a new one. "
          + "SIGINT/SIGTERM are forwarded; berth exits with its code.",
      "Starts a registry in the background if none runs (its pool: $BERTH_PORTS, else the default)."},
    footerHeading = "%nExamples:%n",
    footer = {
      "  berth run web -- node server.js",
      "  berth run docs -- sh -c 'exec python3 -m http.server \"$PORT\" --bind 127.0.0.1'"})
public final class RunCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "NAME[/ENDPOINT]", converter = ServiceTarget.Converter.class,
      description = "The service the command serves, optionally with its endpoint (default: main).")
  ServiceTarget target;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD",
      description = "The command and its arguments (after --).")
  List<String> command;

  @Option(names = "--port", paramLabel = "N",
      description = "Ask for this port (an OAuth callback registered at 8080, say); fails naming "
          + "the holder if another process has it; 0: let the registry choose, as without it.")
  Integer port;

  // the registry reserves ports for at most 600 s; the lease asks for the timeout plus this
  private static final int RESERVATION_MARGIN_SECONDS = 10;
  private String namespace = "";
  private static final int MAX_READY_TIMEOUT_SECONDS = 590;

  @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "How long the command may take to listen on its port (default: ${DEFAULT-VALUE}).")
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
    CliContext ctx = ctx();
    namespace = ctx.namespace();
    String endpoint = target.endpoint;
    PortHolders holders = PortHolders.system();
    try (Berth berth = ctx.connectOrStart()) {
      Lease lease = attach(berth);
      try {
        int assigned = lease.port(endpoint);
        boolean restarted = false;
        while (true) {
          Process child = start(ctx, assigned);
          ChildSignals signals = ChildSignals.forward(child);
          try {
            PortWaiter.Result waited = await(ctx, child, assigned, holders);
            if (waited.kind() != PortWaiter.Kind.TAKEN) {
              return supervise(ctx, lease, child, assigned, waited);
            }
            String holder = waited.holder().map(PortHolders.Holder::describe).orElse("another process");
            if (restarted) {
              ctx.err().println("berth: port " + assigned + " was taken by " + holder + " before "
                  + target + " listened on it, a second time; giving up");
              ctx.err().flush();
              return 1;
            }
            ChildSignals.stop(child, Duration.ofSeconds(5));
            // a conflict like any other: counted and its holder named by the registry
            int next = InternalLeases.bindFailed(lease, endpoint, "taken by " + holder + " before the command listened");
            ctx.err().println("berth: port " + assigned + " was taken by " + holder + " before "
                + target + " listened on it; restarting it once on port " + next);
            ctx.err().flush();
            assigned = next;
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

  private Lease attach(Berth berth) {
    var lease = berth.lease(target.service)
        .endpoint(target.endpoint)
        .pid(ProcessHandle.current().pid())
        // the ports must stay ours for as long as we are willing to wait for the command
        .reservation(Duration.ofSeconds(readyTimeoutSeconds + RESERVATION_MARGIN_SECONDS))
        .metadata("command", String.join(" ", command));
    if (port != null && port != 0) { // 0: the registry chooses, as without --port
      lease = lease.requestPort(target.endpoint, port);
    }
    return lease.attach();
  }

  private Process start(CliContext ctx, int assigned) {
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    Map<String, String> env = builder.environment();
    ChildEnv.ports(env, target.endpoint, Map.of(target.endpoint, assigned));
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

  private PortWaiter.Result await(CliContext ctx, Process child, int assigned, PortHolders holders)
      throws InterruptedException {
    ctx.err().println("berth: started " + target + (namespace.isEmpty() ? "" : " in namespace " + namespace)
        + " (pid " + child.pid() + "); waiting up to "
        + readyTimeoutSeconds + " s for it to listen on port " + assigned + " ($PORT)");
    ctx.err().flush();
    return PortWaiter.await(child, assigned, Duration.ofSeconds(readyTimeoutSeconds), holders, ctx.err());
  }

  private int supervise(CliContext ctx, Lease lease, Process child, int assigned,
      PortWaiter.Result listening) throws InterruptedException {
    String what = target + " (pid " + child.pid() + ")";
    switch (listening.kind()) {
      case EXITED:
        ctx.err().println("berth: " + what + " exited with code " + child.exitValue()
            + " before it listened on port " + assigned);
        ctx.err().flush();
        return child.exitValue();
      case TIMED_OUT:
        ctx.err().println("berth: " + what + " did not listen on port " + assigned + " within "
            + readyTimeoutSeconds + " s (does it use $PORT?); stopping it");
        ctx.err().flush();
        ChildSignals.stop(child, Duration.ofSeconds(5));
        return 1;
      case LISTENING:
      default:
        break;
    }
    lease.ready();
    ctx.err().println("berth: " + what + " live on " + listening.address());
    ctx.err().flush();
    return child.waitFor();
  }
}
