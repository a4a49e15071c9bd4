package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.ListRequest;
import dev.berth.registry.BerthRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything {@code berth demo} starts, and the cleanup that leaves no process, port or file
 * behind: a temp state dir, an in-process registry on port 0 logging to that dir's
 * {@code registry.log}, a client of it, and the sample JVMs.
 *
 * <p>Thread-safe: the story's thread opens it and starts the samples, and the Ctrl-C shutdown
 * hook may {@link #close} it at any moment; after that nothing new starts.
 */
final class DemoSandbox implements AutoCloseable {

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final DemoNarrator narrator;
  private final List<SampleChild> children = new ArrayList<>(); // guarded by this
  private Path stateDir; // guarded by this
  private LogToFile registryLog; // guarded by this
  private BerthRegistry registry; // guarded by this
  private Berth berth; // guarded by this
  private boolean closed; // guarded by this

  DemoSandbox(DemoNarrator narrator) {
    this.narrator = narrator;
  }

  /**
   * Creates the temp state dir and starts {@code registryBuilder}'s registry in it, and a
   * client of it (service name {@code demo}).
   *
   * @return the registry's address, {@code 127.0.0.1:PORT}
   */
  synchronized String open(BerthRegistry.Builder registryBuilder) throws IOException {
    checkOpen();
    stateDir = Files.createTempDirectory("berth-demo-");
    // the registry runs in this JVM: its log lines (port conflicts...) go to its log, not
    // between the lines of the story
    registryLog = LogToFile.open(StateDir.of(stateDir).createFile(StateDir.LOG)); // 0600
    registry = registryBuilder.stateDir(stateDir).build().start();
    String address = "127.0.0.1:" + registry.port();
    berth = Berth.builder().stateDir(stateDir).registry(address).autoStart(false)
        .serviceName("demo").build();
    return address;
  }

  synchronized Path stateDir() {
    return stateDir;
  }

  /** The demo's client of its registry; after {@link #open}. */
  synchronized Berth berth() {
    return berth;
  }

  /** Starts the sample {@code name} ({@code dev.berth.samples.name.NameMain}) as a child JVM. */
  synchronized SampleChild startSample(String name) throws IOException {
    checkOpen();
    String main = "dev.berth.samples." + name + "." + Character.toUpperCase(name.charAt(0))
        + name.substring(1) + "Main";
    SampleChild child = SampleChild.start(name, main, stateDir, "127.0.0.1:" + registry.port(),
        narrator.out(), DemoNarrator.INDENT);
    children.add(child);
    return child;
  }

  private void checkOpen() {
    if (closed) {
      throw CliException.failure("stopped");
    }
  }

  /**
   * Stops the samples, the client and the registry, removes the state dir, and says so in one
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
    int stopped = 0;
    for (SampleChild child : children) {
      if (child.isAlive()) {
        child.terminate();
        stopped++;
      }
    }
    for (SampleChild child : children) {
      child.stop(STOP_GRACE);
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
    narrator.step("stop", stopped + " services stopped, registry closed, "
        + (removed ? "temp state dir removed" : "temp state dir NOT removed: " + stateDir)
        + (ports.isEmpty() ? "" : busy.isEmpty()
            ? "; ports " + ports.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " free again"
            : "; ports still busy: " + busy));
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
