package dev.berth.cli.internal.stack;

import com.google.protobuf.Timestamp;
import dev.berth.cli.internal.stack.ServiceInstance.State;
import dev.berth.local.internal.StackStateFile;
import dev.berth.proto.v1.StackState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The supervisor's one table of instances, its one lock, and the gates: an instance's thread
 * waits here for its dependencies to be live, for a backoff to pass, or to be wanted again;
 * every change is written to {@code stack.json} at once (under the lock, so the file's order is
 * the changes' order) and wakes every waiter. Thread-safe.
 */
final class StackBoard {

  private final Object lock = new Object();
  private final StackStateFile file;
  private final StackState.Builder header;
  private final List<ServiceInstance> instances = new ArrayList<>();
  private final Map<String, List<ServiceInstance>> byService = new LinkedHashMap<>();
  private boolean shutdown;
  private java.util.function.Consumer<StackState> listener;

  StackBoard(StackStateFile file, StackState.Builder header, List<ServiceSpec> services) {
    this.file = file;
    this.header = header;
    for (ServiceSpec spec : services) {
      List<ServiceInstance> list = new ArrayList<>();
      for (int i = 1; i <= spec.instances(); i++) {
        list.add(new ServiceInstance(spec, i));
      }
      instances.addAll(list);
      byService.put(spec.name(), List.copyOf(list));
    }
  }

  List<ServiceInstance> instances() {
    return List.copyOf(instances);
  }

  /** The instances of {@code service}; empty when the stack runs none of that name. */
  List<ServiceInstance> of(String service) {
    return byService.getOrDefault(service, List.of());
  }

  /** Runs {@code change} under the lock, then writes stack.json and wakes every waiter. */
  void change(Runnable change) {
    synchronized (lock) {
      change.run();
      write();
      lock.notifyAll();
    }
  }

  /**
   * For tests: {@code listener} gets every state written from now on, in the file's order, on
   * the changing thread under the lock (so it must not block or call back).
   */
  void onWrite(java.util.function.Consumer<StackState> listener) {
    synchronized (lock) {
      this.listener = listener;
    }
  }

  private void write() {
    StackState state = stateLocked();
    file.write(state);
    if (listener != null) {
      listener.accept(state);
    }
  }

  /** Moves {@code i} to {@code state} with a one-line {@code detail}. */
  void set(ServiceInstance i, State state, String detail) {
    change(() -> {
      i.state = state;
      i.detail = detail;
      i.since = Instant.now();
    });
  }

  /** Reads under the lock. */
  <T> T read(java.util.function.Supplier<T> read) {
    synchronized (lock) {
      return read.get();
    }
  }

  /**
   * Blocks until every instance of each of {@code i}'s dependencies is live: true then; false
   * when {@code i} is asked to stop (its stop count moved past {@code stops}) or the stack stops.
   */
  boolean awaitDependencies(ServiceInstance i, long stops) throws InterruptedException {
    synchronized (lock) {
      while (true) {
        if (shutdown || i.stops != stops) {
          return false;
        }
        List<String> missing = i.spec.dependsOn().stream()
            .filter(d -> !of(d).stream().allMatch(ServiceInstance::live))
            .toList();
        if (missing.isEmpty()) {
          return true;
        }
        String detail = "waiting for " + String.join(", ", missing);
        if (i.state != State.WAITING || !i.detail.equals(detail)) {
          i.state = State.WAITING;
          i.detail = detail;
          i.since = Instant.now();
          write();
          lock.notifyAll();
        }
        lock.wait();
      }
    }
  }

  /** Blocks while {@code i} is not wanted (stopped by request); false once the stack stops. */
  boolean awaitWanted(ServiceInstance i) throws InterruptedException {
    synchronized (lock) {
      while (!i.wanted && !shutdown) {
        lock.wait();
      }
      return !shutdown;
    }
  }

  /** Sleeps {@code delay} (a backoff); false when cut short by a stop of {@code i} or the stack. */
  boolean sleep(ServiceInstance i, Duration delay, long stops) throws InterruptedException {
    long deadline = System.nanoTime() + delay.toNanos();
    synchronized (lock) {
      while (!shutdown && i.stops == stops) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return false;
    }
  }

  /** Blocks until {@code test} holds (or {@code timeout} passes): the other threads' view. */
  boolean await(java.util.function.BooleanSupplier test, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!test.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** No instance starts or restarts from now on. */
  void shutdown() {
    change(() -> shutdown = true);
  }

  boolean isShutdown() {
    synchronized (lock) {
      return shutdown;
    }
  }

  void markStopped() {
    change(() -> header.setStopped(true));
  }

  void controlSocket(String path) {
    change(() -> header.setControlSocket(path));
  }

  /** The state as stack.json has it. */
  StackState state() {
    synchronized (lock) {
      return stateLocked();
    }
  }

  private StackState stateLocked() {
    StackState.Builder state = header.clone().clearProcesses();
    for (ServiceInstance i : instances) {
      state.addProcesses(i.toProto());
    }
    return state.build();
  }

  /** The instance's first endpoint's address while live: for {@code ${service}} in env values. */
  Optional<ServiceInstance> firstLive(String service) {
    synchronized (lock) {
      return of(service).stream().filter(ServiceInstance::live).findFirst();
    }
  }

  /** "catalog, orders" of the services not all live, for a message. */
  String notLive() {
    synchronized (lock) {
      return instances.stream().filter(i -> !i.live()).map(ServiceInstance::name)
          .collect(Collectors.joining(", "));
    }
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
