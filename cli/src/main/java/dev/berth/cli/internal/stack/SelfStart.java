package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.DebugPortMoved;
import dev.berth.cli.internal.DebugRuntime;
import dev.berth.cli.internal.PortWaiter;
import dev.berth.cli.internal.ProcessTree;
import dev.berth.client.Address;
import dev.berth.client.Lease;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One start of a service that joins Berth itself through the library: the child gets
 * {@code BERTH_NAMESPACE} and the rest but no port, and is live once {@link SelfWatch} sees its
 * instance (its pid or a descendant's) in the stack's namespace. With {@code debug:} it also gets
 * the agent on the service's sticky {@code debug} berth and {@code $BERTH_DEBUG_PORT}, which the
 * library adds to the lease it holds. Runs on the instance's thread.
 *
 * <p>The debug berth is held by a reserved probe lease from before the child starts until
 * {@code /proc} shows the child's tree listening on it ({@link #awaitAgent}): on a first start
 * nothing remembers that port yet, and a service of the stack starting at the same moment could
 * otherwise be handed it before the agent binds, and the JVM would die with "bind failed".
 */
final class SelfStart {

  /** The probe lease is reserved this much longer than the start timeout it may be held for. */
  private static final Duration PROBE_MARGIN = Duration.ofSeconds(10);

  private SelfStart() {}

  static Run start(Launch launch, ServiceInstance i, long stops) throws InterruptedException {
    ServiceSpec spec = i.spec;
    Map<String, String> env = launch.env().of(i, Map.of());
    long deadline = System.nanoTime() + launch.startTimeout().toNanos();
    Lease probe = null;
    int debugPort = 0;
    if (spec.debug().isPresent()) {
      probe = debugBerth(launch, spec);
      debugPort = probe.port(DebugRuntime.ENDPOINT);
      DebugPortMoved.atAttach(launch.berth(), launch.namespace(), spec.name(), debugPort)
          .ifPresent(line -> launch.out().event(spec.name(), i.index, line));
      StackEnv.debug(env, spec.debug().get(), debugPort, System.getenv());
      env.put(DebugRuntime.SELF_PORT_ENV, Integer.toString(debugPort));
    }
    Process child;
    try {
      child = StackChild.start(spec, i.index, env, launch.out());
      if (!launch.adopt(i, child, stops)) {
        ProcessTree.stop(child.toHandle(), Supervisor.GRACE);
        return Run.ended(child, () -> { });
      }
      if (probe != null) {
        awaitAgent(launch, child, debugPort);
      }
    } finally {
      if (probe != null) {
        probe.close();
      }
    }
    SelfWatch watch = SelfWatch.open(launch.berth(), launch.namespace(), spec.name(),
        spec.endpoints().get(0), child.toHandle());
    try {
      // whichever comes first: its lease live, or its exit
      CompletableFuture.anyOf(watch.live(), child.onExit())
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      watch.close();
      return Run.failed(child, "registered no live instance of " + spec.name() + " in namespace "
          + launch.namespace() + " within " + launch.startTimeout().toSeconds()
          + " s (does it use the Berth library?)", () -> { });
    } catch (ExecutionException e) {
      // the watch does not fail: it re-opens
    }
    if (watch.live().isDone() && !watch.live().isCompletedExceptionally()) {
      Address address = watch.live().join();
      // the instance's own address; the registry's ports are the ones stack.json shows
      int debug = debugPort;
      launch.board().change(() -> {
        i.ports.put(spec.endpoints().get(0), address.port());
        if (debug != 0) {
          i.ports.put(DebugRuntime.ENDPOINT, debug);
        }
      });
      return Run.live(child, address, watch::close);
    }
    watch.close();
    return Run.ended(child, () -> { });
  }

  /**
   * Waits, within the start timeout, until the child's tree listens on {@code port} (its
   * agent), or exits, so that the probe lease that keeps the port from other leases can close
   * (see {@link #debugBerth}). Only {@code /proc} is looked at, never a connect (a JDWP agent logs
   * every foreign one); without {@code /proc} it returns at once (the probe closes as the child starts).
   *
   * <p>Why the order is safe: the JVM's agent binds during JVM start, before {@code main} runs,
   * and the app's own lease can register {@code debug} (already bound, from
   * {@code $BERTH_DEBUG_PORT}) only from {@code main}, through the library, after its gRPC
   * channel is up: hundreds of milliseconds later. The probe closes within one poll (25 ms) of
   * the bind. The window left: an app whose lease reaches the registry within those 25 ms is
   * refused ("held by reserved instance"); no JVM starts gRPC that fast.
   */
  private static void awaitAgent(Launch launch, Process child, int port) throws InterruptedException {
    if (!launch.holders().available()) {
      return;
    }
    PortWaiter.await(child, port, launch.startTimeout(), launch.holders(), launch.diagnostics());
  }

  /**
   * A reserved lease of the service's {@code debug} berth in the stack's namespace, which its
   * JVM's agent must bind before the JVM joins Berth: the remembered one if any. Held open until
   * the agent listens ({@link #awaitAgent}): while it is, the registry hands that port to no
   * other lease (PortAllocator skips ports leases hold), which matters the first time, when
   * nothing remembers it yet. Reserved for the start timeout and a margin (a reservation that
   * passes ends the lease).
   */
  private static Lease debugBerth(Launch launch, ServiceSpec spec) {
    return launch.berth().lease(spec.name()).endpoint(DebugRuntime.ENDPOINT)
        .reservation(launch.startTimeout().plus(PROBE_MARGIN)).attach();
  }
}
