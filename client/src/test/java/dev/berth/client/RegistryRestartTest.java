package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.WhoHasRequest;
import dev.berth.proto.v1.WhoHasResponse;
import dev.berth.registry.BerthRegistry;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry goes away and comes back; users of the library notice nothing. */
class RegistryRestartTest {
  @TempDir Path home;
  BerthRegistry registry;
  final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void calls_whenRegistryRestartsOnSamePort_continueAndPortsStayTheSame() throws Exception {
    registry = TestRegistry.start(home);
    int registryPort = registry.port();
    Berth service = track(TestRegistry.connect(registry));
    Berth client = track(TestRegistry.connect(registry));
    BerthServer server = service.serve("who").addService(WhoService.named("a")).start();
    int port = server.port();
    ManagedChannel channel = client.channel("who");
    assertThat(WhoService.call(channel)).isEqualTo("a");

    CallLoop calls = track(new CallLoop(channel));
    registry.close();
    Waits.until(Duration.ofSeconds(5), () -> !InternalLeases.isLive(server.lease()), "lease notices the registry is gone");
    calls.awaitMore(20); // calls go on while no registry runs
    registry = TestRegistry.start(home, registryPort);

    Waits.until(Duration.ofSeconds(10), () -> InternalLeases.isLive(server.lease()), "lease re-attached");
    assertThat(server.port()).isEqualTo(port);
    assertThat(client.resolve("who")).isEqualTo(Address.loopback(port));
    int failedBefore = calls.failures.get();
    calls.awaitMore(50);
    calls.close();
    assertThat(calls.failures.get()).as("calls failing after the re-attach").isEqualTo(failedBefore);
    assertThat(calls.successes.get()).isGreaterThan(70);
  }

  @Test
  void lease_whenRegistryRestartsOnAnotherPort_reattachesThroughRegistryJson() throws Exception {
    registry = TestRegistry.start(home);
    // no fixed address: registry.json says where the registry is, before and after
    Berth service = track(Berth.builder().stateDir(home).build());
    BerthServer server = service.serve("who").addService(WhoService.named("a")).start();
    int port = server.port();
    List<List<Address>> seen = new CopyOnWriteArrayList<>();
    track(service.watch("who", seen::add));
    Waits.until(Duration.ofSeconds(5), () -> !seen.isEmpty());

    int oldRegistryPort = registry.port();
    registry.close();
    registry = TestRegistry.start(home); // on another port of this JVM's own
    assertThat(registry.port()).isNotEqualTo(oldRegistryPort);

    Waits.until(Duration.ofSeconds(10), () -> InternalLeases.isLive(server.lease()), "lease re-attached");
    try (Berth fresh = TestRegistry.connect(registry)) {
      List<Instance> instances = fresh.registryStub().list(ListRequest.getDefaultInstance())
          .getInstancesList().stream().filter(i -> !i.getService().equals("berth")) // its own /metrics
          .collect(java.util.stream.Collectors.toList());
      assertThat(instances).hasSize(1);
      assertThat(instances.get(0).getEndpoints(0).getPort()).isEqualTo(port);
    }
    assertThat(service.resolve("who").port()).isEqualTo(port);
    // the watcher follows the instance back; its re-watch may reach the new registry before the
    // lease re-attaches and see an empty list for that moment, so the latest list is checked
    Waits.until(Duration.ofSeconds(5), () -> !seen.get(seen.size() - 1).isEmpty(), "watcher sees it back");
    assertThat(seen.get(seen.size() - 1)).containsExactly(Address.loopback(port));
  }

  @Test
  void lease_whenRegistryRestartsBeforeReady_keepsItsPortsAndGoesLiveOnTheNextOne() throws Exception {
    registry = TestRegistry.start(home);
    Berth service = track(Berth.builder().stateDir(home).build());
    // a program still starting on its port, as under `berth run`
    Lease lease = service.lease("slow").reservation(Duration.ofMinutes(1)).attach();
    int port = lease.port();

    registry.close();
    registry = TestRegistry.start(home); // found again through registry.json

    try (Listening listening = Listening.on(lease)) { // the program now listens
      lease.ready(); // waits for the ports to be reserved again, then goes live
      assertThat(lease.port()).isEqualTo(port);
      try (Berth fresh = TestRegistry.connect(registry)) {
        assertThat(fresh.resolve("slow").port()).isEqualTo(port);
      }
    }
  }

  @Test
  void lease_whenRegistryRestartsBeforeReady_isReservedAgainBeforeItsProgramListens() throws Exception {
    registry = TestRegistry.start(home);
    Berth service = track(Berth.builder().stateDir(home).build());
    Lease lease = service.lease("slow").reservation(Duration.ofMinutes(1)).attach();
    int port = lease.port();

    registry.close();
    registry = TestRegistry.start(home);

    // nothing listens on the port yet, and still no other instance may be given it meanwhile
    try (Berth fresh = TestRegistry.connect(registry)) {
      Waits.until(Duration.ofSeconds(10), () -> fresh.registryStub()
          .whoHas(WhoHasRequest.newBuilder().setPort(port).build()).hasReserved(),
          "port " + port + " reserved again on the new registry");
      WhoHasResponse who = fresh.registryStub().whoHas(WhoHasRequest.newBuilder().setPort(port).build());
      assertThat(who.getReserved().getService()).isEqualTo("slow");
    }
    try (Listening listening = Listening.on(lease)) {
      lease.ready();
      assertThat(lease.port()).isEqualTo(port);
    }
  }

  private <T extends AutoCloseable> T track(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  /** Calls Name in a loop on its own thread, counting outcomes. */
  private static final class CallLoop implements AutoCloseable {
    final AtomicInteger successes = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    CallLoop(ManagedChannel channel) {
      thread = new Thread(() -> {
        while (running.get()) {
          try {
            WhoService.call(channel);
            successes.incrementAndGet();
          } catch (StatusRuntimeException e) {
            failures.incrementAndGet();
          }
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "call-loop");
      thread.start();
    }

    void awaitMore(int calls) throws InterruptedException {
      int target = successes.get() + failures.get() + calls;
      Waits.until(Duration.ofSeconds(10), () -> successes.get() + failures.get() >= target, calls + " more calls");
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }
  }
}
