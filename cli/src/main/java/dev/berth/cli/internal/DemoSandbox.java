package dev.berth.cli.internal;

import dev.berth.cli.internal.stack.StackFile;
import dev.berth.cli.internal.stack.StackOutput;
import dev.berth.cli.internal.stack.Supervisor;
import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.ListRequest;
import dev.berth.registry.BerthRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything {@code berth demo} starts, and the cleanup that leaves no process, port or file
 * behind: a temp state dir, an in-process registry on port 0 logging to that dir's
 * {@code registry.log}, a client of it in the stack's namespace, and the sample stack under a
 * {@link Supervisor} in this process, as {@code berth up} runs it (its processes each in a
 * session of their own, so only this JVM's cleanup stops them).
 *
 * <p>Thread-safe: the story's thread opens it and starts the stack, and the Ctrl-C shutdown
 * hook may {@link #close} it at any moment; after that nothing new starts.
 */
final class DemoSandbox implements AutoCloseable {

  private final DemoNarrator narrator;
  private final PrintWriter err;
  private Supervisor supervisor; // guarded by this
  private int services; // guarded by this
  private Path stateDir; // guarded by this
  private LogToFile registryLog; // guarded by this
  private BerthRegistry registry; // guarded by this
  private Berth berth; // guarded by this
  private boolean closed; // guarded by this

  /** {@code err}: where the supervisor's lines that belong to no service go. */
  DemoSandbox(DemoNarrator narrator, PrintWriter err) {
    this.narrator = narrator;
    this.err = err;
  }

  /**
   * Creates the temp state dir and starts {@code registryBuilder}'s registry in it, and a
   * client of it (service name {@code demo}) in {@code namespace}, the stack's.
   *
   * @return the registry's address, {@code 127.0.0.1:PORT}
   */
  synchronized String open(BerthRegistry.Builder registryBuilder, String namespace) throws IOException {
    checkOpen();
    stateDir = Files.createTempDirectory("berth-demo-");
    // the registry runs in this JVM: its log lines (port conflicts...) go to its log, not
    // between the lines of the story
    registryLog = LogToFile.open(StateDir.of(stateDir).createFile(StateDir.LOG)); // 0600
    registry = registryBuilder.stateDir(stateDir).build().start();
    String address = "127.0.0.1:" + registry.port();
    berth = Berth.builder().stateDir(stateDir).registry(address).autoStart(false)
        .serviceName("demo").namespace(namespace).build();
    return address;
  }

  synchronized Path stateDir() {
    return stateDir;
  }

  /** The demo's client of its registry; after {@link #open}. */
  synchronized Berth berth() {
    return berth;
  }

  /**
   * Starts {@code stack} as {@code berth up} does, every line of it to {@code out}; returns at
   * once (the services come up in dependency order on the supervisor's threads).
   */
  synchronized Supervisor up(StackFile stack, StackOutput out) throws InterruptedException {
    checkOpen();
    String address = "127.0.0.1:" + registry.port();
    CliContext ctx = new CliContext(stateDir, address, false, narrator.out(), err);
    supervisor = Supervisor.start(stack, List.of(), berth, ctx, out);
    services = stack.services().size();
    return supervisor;
  }

  private void checkOpen() {
    if (closed) {
      throw CliException.failure("stopped");
    }
  }

  /**
   * Stops the stack (in reverse dependency order, each process's tree: SIGTERM, a grace period,
   * SIGKILL), the client and the registry, removes the state dir, and says so in one
   * {@code stop} step naming the ports now free again. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    TreeSet<Integer> ports = new TreeSet<>();
    try {
      if (berth != null) {
        InstanceRow.of(InternalBerth.registryStub(berth).withDeadlineAfter(2, TimeUnit.SECONDS)
            .list(ListRequest.getDefaultInstance())).forEach(r -> ports.add(r.port));
      }
    } catch (RuntimeException e) {
      // the figures at the end are a courtesy
    }
    if (supervisor != null) {
      narrator.step("stop", "the stack, in reverse dependency order (what Ctrl-C does to berth up):");
      supervisor.stopAll();
    }
    if (berth != null) {
      berth.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (registryLog != null) {
      registryLog.close();
    }
    boolean removed = deleteRecursively(stateDir);
    if (stateDir == null) {
      return;
    }
    List<Integer> busy = ports.stream().filter(p -> !isFree(p)).collect(Collectors.toList());
    String summary = services + " services stopped, registry closed, "
        + (removed ? "temp state dir removed" : "temp state dir NOT removed: " + stateDir)
        + (ports.isEmpty() ? "" : busy.isEmpty()
            ? "; ports " + ports.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " free again"
            : "; ports still busy: " + busy);
    if (supervisor == null) {
      narrator.step("stop", summary);
    } else {
      narrator.note(summary);
    }
  }

  private static boolean deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
