package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.DebugPortMoved;
import dev.berth.cli.internal.DebugRuntime;
import dev.berth.cli.internal.PortWaiter;
import dev.berth.cli.internal.ProcessTree;
import dev.berth.client.Address;
import dev.berth.client.InternalLeases;
import dev.berth.client.Lease;
import dev.berth.registry.internal.PortHolders;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One start of a service whose lease the supervisor holds, as {@code berth run} does: the lease
 * first (the child needs {@code $PORT}), the child, then {@link PortWaiter} until the child's own
 * tree listens on each endpoint's port; a port another process took first is a conflict
 * reported to the registry, and the child is restarted once on the new port. Live once the
 * registry shows the instance; the lease closes as soon as the child exits. Runs on the
 * instance's thread.
 */
final class RunnerStart {

  /** The registry keeps the ports this much longer than we wait for the child to listen. */
  private static final Duration RESERVATION_MARGIN = Duration.ofSeconds(10);

  private RunnerStart() {}

  static Run start(Launch launch, ServiceInstance i, long stops) throws InterruptedException {
    ServiceSpec spec = i.spec;
    Lease.Builder builder = launch.berth().lease(spec.name())
        .pid(ProcessHandle.current().pid())
        .reservation(launch.startTimeout().plus(RESERVATION_MARGIN))
        .metadata("command", String.join(" ", spec.command()));
    spec.endpoints().forEach(builder::endpoint);
    // the agent's port is the lease's last endpoint: $PORT and berth ps's address stay the first
    spec.debug().ifPresent(r -> builder.endpoint(DebugRuntime.ENDPOINT)
        .metadata(DebugRuntime.METADATA_KEY, r.metadataValue()));
    Lease lease = builder.attach();
    Map<String, Integer> ports = new LinkedHashMap<>();
    lease.addresses().keySet().forEach(ep -> ports.put(ep, lease.port(ep)));
    if (spec.debug().isPresent()) {
      DebugPortMoved.atAttach(launch.berth(), launch.namespace(), spec.name(), ports.get(DebugRuntime.ENDPOINT))
          .ifPresent(line -> launch.out().event(spec.name(), i.index, line));
    }
    boolean restarted = false;
    try {
      while (true) {
        launch.board().change(() -> {
          i.ports.clear();
          i.ports.putAll(ports);
        });
        Map<String, String> env = launch.env().of(i, ports);
        if (spec.debug().isPresent()) {
          StackEnv.debug(env, spec.debug().get(), ports.get(DebugRuntime.ENDPOINT), System.getenv());
        }
        Process child = StackChild.start(spec, i.index, env, launch.out());
        if (!launch.adopt(i, child, stops)) {
          ProcessTree.stop(child.toHandle(), Supervisor.GRACE);
          lease.close();
          return Run.ended(child, () -> { });
        }
        Waited waited = awaitListening(launch, child, ports);
        PortWaiter.Result r = waited.result;
        switch (r.kind()) {
          case LISTENING:
            // the stronger check before the lease goes live: no caller (nor another stack falling
            // back to this one) is sent to an instance that is not ready
            String notReady = ready(spec, waited.first, ports, child);
            if (!notReady.isEmpty()) {
              return Run.failed(child, notReady, lease::close);
            }
            lease.ready();
            return Run.live(child, waited.first, lease::close);
          case EXITED:
            return Run.ended(child, lease::close);
          case TIMED_OUT:
            if (spec.debug().isPresent() && waited.endpoint.equals(DebugRuntime.ENDPOINT)) {
              return Run.failed(child, "its debugger agent did not listen on port "
                  + ports.get(waited.endpoint) + " within " + launch.startTimeout().toSeconds()
                  + " s (does the program read " + spec.debug().get().variable() + "? debug: "
                  + spec.debug().get().word() + ")", lease::close);
            }
            return Run.failed(child, "did not listen on port " + ports.get(waited.endpoint) + " ($"
                + (waited.endpoint.equals(spec.endpoints().get(0)) ? "PORT" : dev.berth.cli.internal.ChildEnv.portVariable(waited.endpoint))
                + ") within " + launch.startTimeout().toSeconds() + " s", lease::close);
          case TAKEN:
          default:
            String holder = r.holder().map(PortHolders.Holder::describe).orElse("another process");
            int port = ports.get(waited.endpoint);
            if (restarted) {
              return Run.failed(child, "port " + port + " was taken by " + holder
                  + " before it listened on it, a second time; giving up", lease::close);
            }
            ProcessTree.stop(child.toHandle(), Supervisor.GRACE);
            int next = InternalLeases.bindFailed(lease, waited.endpoint,
                "taken by " + holder + " before the command listened");
            launch.out().event(spec.name(), i.index, waited.endpoint.equals(DebugRuntime.ENDPOINT)
                ? DebugPortMoved.line(port, next, holder, spec.name())
                : "port " + port + " was taken by " + holder + " before it listened on it; "
                    + "restarting it once on port " + next);
            ports.put(waited.endpoint, next);
            restarted = true;
        }
      }
    } catch (RuntimeException | InterruptedException e) {
      lease.close();
      throw e;
    }
  }

  /** The service's ready check, if any, against the endpoint it names (default: the first); "" passed. */
  private static String ready(ServiceSpec spec, Address first, Map<String, Integer> ports, Process child)
      throws InterruptedException {
    if (spec.ready().isEmpty()) {
      return "";
    }
    ServiceSpec.ReadyCheck check = spec.ready().get();
    Integer port = check.endpoint() == null || check.endpoint().isEmpty() ? null : ports.get(check.endpoint());
    Address address = port == null ? first : Address.tcp(first.host(), port);
    return ReadyProbe.await(check, address, child);
  }

  private record Waited(PortWaiter.Result result, String endpoint, Address first) {}

  /**
   * Each endpoint in turn, within one start timeout for all ({@link PortWaiter#awaitAll}, as
   * {@code berth run}): a runtime whose debugger agent cannot bind exits, and a foreign holder
   * of that port makes it TAKEN, not a crash; the agent's port is never connected to.
   */
  private static Waited awaitListening(Launch launch, Process child, Map<String, Integer> ports)
      throws InterruptedException {
    PortWaiter.Waited w = PortWaiter.awaitAll(child, ports, launch.startTimeout(), launch.holders(),
        launch.diagnostics());
    return new Waited(w.result(), w.endpoint(), w.first());
  }
}
