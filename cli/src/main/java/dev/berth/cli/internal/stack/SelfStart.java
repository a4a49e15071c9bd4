package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.ProcessTree;
import dev.berth.client.Address;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One start of a service that joins Berth itself through the library: the child gets
 * {@code BERTH_NAMESPACE} and the rest but no port, and is live once {@link SelfWatch} sees its
 * instance (its pid or a descendant's) in the stack's namespace. Runs on the instance's thread.
 */
final class SelfStart {

  private SelfStart() {}

  static Run start(Launch launch, ServiceInstance i, long stops) throws InterruptedException {
    ServiceSpec spec = i.spec;
    Process child = StackChild.start(spec, i.index, launch.env().of(i, Map.of()), launch.out());
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
      launch.board().change(() -> i.ports.put(spec.endpoints().get(0), address.port()));
      return Run.live(child, address, watch::close);
    }
    watch.close();
    return Run.ended(child, () -> { });
  }
}
