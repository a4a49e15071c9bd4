package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.DebugRuntime;
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
 */
final class SelfStart {

  /** The registry keeps the debug berth this long if the supervisor died right after asking. */
  private static final Duration PROBE_RESERVATION = Duration.ofSeconds(2);

  private SelfStart() {}

  static Run start(Launch launch, ServiceInstance i, long stops) throws InterruptedException {
    ServiceSpec spec = i.spec;
    Map<String, String> env = launch.env().of(i, Map.of());
    int debugPort = 0;
    if (spec.debug().isPresent()) {
      debugPort = debugBerth(launch, spec);
      StackEnv.debug(env, spec.debug().get(), debugPort, System.getenv());
      env.put(DebugRuntime.SELF_PORT_ENV, Integer.toString(debugPort));
    }
    Process child = StackChild.start(spec, i.index, env, launch.out());
    if (!launch.adopt(i, child, stops)) {
      ProcessTree.stop(child.toHandle(), Supervisor.GRACE);
      return Run.ended(child, () -> { });
    }
    SelfWatch watch = SelfWatch.open(launch.berth(), launch.namespace(), spec.name(),
        spec.endpoints().get(0), child.toHandle());
    try {
      // whichever comes first: its lease live, or its exit
      CompletableFuture.anyOf(watch.live(), child.onExit())
          .get(launch.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
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
   * The service's remembered {@code debug} berth in the stack's namespace, which its JVM's agent
   * must bind before the JVM joins Berth: learnt from a lease that holds it a moment, then let go.
   * It stays free for the JVM, since the registry hands others only ports nobody remembers
   * (PortAllocator); the first time, before anything remembers it, the agent binds it a few
   * milliseconds after this, and a probe then finds it taken.
   */
  private static int debugBerth(Launch launch, ServiceSpec spec) {
    try (Lease probe = launch.berth().lease(spec.name()).endpoint(DebugRuntime.ENDPOINT)
        .reservation(PROBE_RESERVATION).attach()) {
      return probe.port(DebugRuntime.ENDPOINT);
    }
  }
}
