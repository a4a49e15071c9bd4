package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.CliContext;
import dev.berth.cli.internal.ProcessTree;
import dev.berth.cli.internal.stack.ServiceInstance.State;
import dev.berth.client.Berth;
import dev.berth.local.internal.ProcStat;
import dev.berth.local.internal.StackControl;
import dev.berth.local.internal.StackStateFile;
import dev.berth.proto.v1.StackState;
import dev.berth.registry.internal.PortHolders;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a stack: every service (or those asked for, with their dependencies) as separate
 * processes, in dependency order and in parallel where the graph allows, each instance gated on
 * its dependencies being live; restarts per policy on the same ports; stops in reverse
 * dependency order. State in {@code stack.json} at every change.
 *
 * <pre>{@code
 * try (Supervisor s = Supervisor.start(file, List.of(), berth, ctx, output)) {
 *   s.awaitStopped(); // until stopAll(), from a signal or the control socket
 * }
 * }</pre>
 *
 * <p>One thread per instance ({@code berth-up-orders.1}) and two per running process (its
 * output). Thread-safe.
 */
public final class Supervisor implements StackControl, AutoCloseable {

  /** SIGTERM, then this long before SIGKILL. */
  static final Duration GRACE = Duration.ofSeconds(5);
  /** How long a second {@link #stopAll} waits for the first to finish. */
  private static final Duration STOP_ALL_WAIT = Duration.ofMinutes(2);
  /** How long a process may take to listen on its port, or to register itself. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final StackFile file;
  private final List<ServiceSpec> services;
  private final StackBoard board;
  private final Launch launch;
  private final List<Thread> threads = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Object stopping = new Object();
  private boolean stopAllStarted;

  private Supervisor(StackFile file, List<ServiceSpec> services, Berth berth, CliContext ctx,
      StackOutput out, PrintWriter diagnostics) {
    this.file = file;
    this.services = services;
    StackState.Builder header = StackState.newBuilder()
        .setNamespace(file.namespace())
        .setFile(file.file().toString())
        .setSupervisorPid(ProcessHandle.current().pid())
        .setSupervisorStartTicks(ProcStat.startTicks(ProcessHandle.current().pid()).orElse(0))
        .setStarted(StackBoard.timestamp(Instant.now()));
    this.board = new StackBoard(StackStateFile.of(ctx.home(), file.namespace()), header, services);
    this.launch = new Launch(berth, file.namespace(), board,
        new StackEnv(ctx, file.namespace(), board, berth), out, PortHolders.system(), START_TIMEOUT,
        diagnostics);
  }

  /**
   * Starts {@code only} (all when empty) and their dependencies; returns at once, with the state
   * written. {@code berth} must be in the stack's namespace.
   *
   * <p>First the stack.json of a previous run ({@link OrphanSweep}): a supervisor of this stack
   * that still runs is an error, and the processes of one that was killed are stopped.
   *
   * @throws IllegalArgumentException naming a service the stack has none of
   * @throws dev.berth.cli.internal.CliException naming the supervisor when the stack is already up
   */
  public static Supervisor start(StackFile file, Collection<String> only, Berth berth, CliContext ctx,
      StackOutput out) throws InterruptedException {
    List<ServiceSpec> services = selected(file, only);
    OrphanSweep.sweep(StackStateFile.of(ctx.home(), file.namespace()), out);
    Supervisor s = new Supervisor(file, services, berth, ctx, out, ctx.err());
    s.board.change(() -> { }); // stack.json: everything waiting
    for (ServiceInstance i : s.board.instances()) {
      Thread t = new Thread(new InstanceLoop(s.launch, i), "berth-up-" + i.name());
      t.setDaemon(true);
      s.threads.add(t);
    }
    s.threads.forEach(Thread::start);
    return s;
  }

  /** {@code only} and what they depend on, in the file's order; every service when empty. */
  private static List<ServiceSpec> selected(StackFile file, Collection<String> only) {
    if (only.isEmpty()) {
      return file.services();
    }
    java.util.Set<String> wanted = new java.util.HashSet<>(StackGraph.of(file).closure(only));
    return file.services().stream().filter(s -> wanted.contains(s.name())).toList();
  }

  /** Writes the control socket's path into stack.json. */
  public void controlSocket(String path) {
    board.controlSocket(path);
  }

  @Override
  public StackState status() {
    return board.state();
  }

  /** For tests: every state written to stack.json from now on ({@link StackBoard#onWrite}). */
  void onWrite(java.util.function.Consumer<StackState> listener) {
    board.onWrite(listener);
  }

  /** True once every instance is live; false at {@code timeout}, or as soon as one is failed. */
  public boolean awaitLive(Duration timeout) throws InterruptedException {
    board.await(() -> board.instances().stream().allMatch(ServiceInstance::live)
        || board.instances().stream().anyMatch(i -> i.state == State.FAILED), timeout);
    return board.read(() -> board.instances().stream().allMatch(ServiceInstance::live));
  }

  @Override
  public void restart(String service) {
    List<ServiceInstance> instances = instancesOf(service);
    if (board.isShutdown()) {
      throw new IllegalStateException("the stack is stopping (berth up starts it again once it has)");
    }
    stop(service);
    board.change(() -> instances.forEach(i -> {
      i.wanted = true;
      i.restarts++;
      i.restartRequests++;
    }));
  }

  @Override
  public void stop(String service) {
    List<ServiceInstance> instances = instancesOf(service);
    stopInstances(instances);
  }

  private List<ServiceInstance> instancesOf(String service) {
    List<ServiceInstance> instances = board.of(service);
    if (instances.isEmpty()) {
      throw new IllegalArgumentException("service: '" + service + "' (expected one of "
          + services.stream().map(ServiceSpec::name).toList() + ")");
    }
    return instances;
  }

  /** Asks each to stop, stops their processes in parallel, and waits for their threads to see it. */
  private void stopInstances(List<ServiceInstance> instances) {
    List<Process> running = new ArrayList<>();
    List<ServiceInstance> had = new ArrayList<>();
    board.change(() -> instances.forEach(i -> {
      i.wanted = false;
      i.stops++;
      if (i.process != null) {
        running.add(i.process);
        had.add(i);
        i.state = State.STOPPING;
        i.since = Instant.now();
      }
    }));
    List<Thread> stoppers = new ArrayList<>();
    for (Process p : running) {
      Thread t = new Thread(() -> ProcessTree.stop(p.toHandle(), GRACE), "berth-up-stop-" + p.pid());
      t.start();
      stoppers.add(t);
    }
    try {
      for (Thread t : stoppers) {
        t.join();
      }
      board.await(() -> instances.stream().allMatch(i -> i.process == null), GRACE.plusSeconds(5));
      had.forEach(i -> launch.out().event(i.spec.name(), i.index, "stopped"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reverse dependency order, level by level; then the state says stopped. Idempotent. */
  @Override
  public void stopAll() {
    boolean first;
    synchronized (stopping) {
      first = !stopAllStarted;
      stopAllStarted = true;
    }
    if (!first) {
      // a second caller (berth down during a Ctrl-C's stop) returns when the stop is done
      try {
        stopped.await(STOP_ALL_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    board.shutdown();
    for (List<String> level : StackGraph.of(services).stopLevels()) {
      List<ServiceInstance> instances = new ArrayList<>();
      level.forEach(s -> instances.addAll(board.of(s)));
      for (ServiceInstance i : instances) {
        if (board.read(() -> i.process != null)) {
          launch.out().event(i.spec.name(), i.index, "stopping");
        }
      }
      stopInstances(instances);
    }
    for (Thread t : threads) {
      try {
        t.join(GRACE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    board.markStopped();
    stopped.countDown();
  }

  /** SIGKILL to every process tree at once (a second Ctrl-C). */
  public void killAll() {
    board.shutdown();
    List<Process> running = board.read(() -> board.instances().stream()
        .filter(i -> i.process != null).map(i -> i.process).toList());
    running.forEach(p -> ProcessTree.kill(p.toHandle()));
  }

  /** Blocks until {@link #stopAll} has stopped everything. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** Stops all, if not yet. */
  @Override
  public void close() {
    stopAll();
  }
}
