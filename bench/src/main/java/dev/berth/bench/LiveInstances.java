package dev.berth.bench;

import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a service to be live in the registry, as {@code berth ls} lists it (every
 * namespace: a stack's services are in the stack's), polling {@code List} every 10 ms: fine
 * grain for figures of seconds, and little CPU taken from the processes being timed.
 */
final class LiveInstances {
  private static final long POLL_MILLIS = 10;

  /** One live endpoint: the process that holds it and its port. */
  record Live(long pid, int port) {}

  private LiveInstances() {}

  /**
   * The first live {@code service/endpoint} whose pid is not in {@code notPids} (instances of
   * processes already killed or of an earlier round); fails after {@code timeout}.
   */
  static Live await(Berth berth, String service, String endpoint, Set<Long> notPids, Duration timeout)
      throws InterruptedException {
    return await(berth, service, endpoint, notPids, timeout, null);
  }

  /**
   * As above, failing at once, naming its exit code and {@code log}, when {@code starter} (the
   * {@code berth up} or {@code berth run} that should make it live) exits first.
   */
  static Live await(Berth berth, String service, String endpoint, Set<Long> notPids, Duration timeout,
      Process starter, Path log) throws InterruptedException {
    return await(berth, service, endpoint, notPids, timeout, new Starter(starter, log));
  }

  private record Starter(Process process, Path log) {}

  private static Live await(Berth berth, String service, String endpoint, Set<Long> notPids, Duration timeout,
      Starter starter) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Live> live = find(berth, service, endpoint, notPids);
      if (live.isPresent()) {
        return live.get();
      }
      if (starter != null && !starter.process().isAlive()) {
        throw new IllegalStateException(service + "/" + endpoint + " never came live: "
            + String.join(" ", starter.process().info().arguments().map(java.util.List::of).orElse(java.util.List.of()))
            + " exited " + starter.process().exitValue() + " (its stderr: " + starter.log() + ")");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(service + "/" + endpoint + " was not live within " + timeout);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  static Optional<Live> find(Berth berth, String service, String endpoint, Set<Long> notPids) {
    for (Instance instance : InternalBerth.registryStub(berth).withDeadlineAfter(2, TimeUnit.SECONDS)
        .list(ListRequest.getDefaultInstance()).getInstancesList()) {
      if (!instance.getService().equals(service) || notPids.contains(instance.getPid())) {
        continue;
      }
      for (Endpoint e : instance.getEndpointsList()) {
        if (e.getName().equals(endpoint)) {
          return Optional.of(new Live(instance.getPid(), e.getPort()));
        }
      }
    }
    return Optional.empty();
  }
}
