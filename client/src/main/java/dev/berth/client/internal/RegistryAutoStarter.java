package dev.berth.client.internal;

import dev.berth.client.BerthException;
import io.grpc.Status;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Starts a registry when none answers: {@code java dev.berth.registry.Main --home DIR}
 * with this process's class path (in {@code $CLASSPATH}), detached (its own session where {@code setsid}
 * exists, so a Ctrl-C aimed at one service leaves the shared registry alone), output to
 * {@code DIR/registry.log}.
 *
 * <p>Two clients starting at once start one registry: the start happens under an exclusive
 * lock on {@code DIR/registry.lock} (a JVM-wide monitor too, because file locks are
 * per-process), and whoever gets the lock checks again for a running registry first.
 *
 * <p>Thread-safe; blocks for at most {@link #START_TIMEOUT} plus the lock wait.
 */
public final class RegistryAutoStarter {
  /** The registry's entry point; present when berth-registry is on the class path. */
  public static final String MAIN_CLASS = "dev.berth.registry.Main";
  /**
   * The daemon's JVM flags: the same as {@code BerthRegistry.DAEMON_JVM_FLAGS}, which this
   * module cannot see (the CLI's tests keep the two equal). Without them the registry holds
   * ~430 MiB with 1,000 instances instead of ~125.
   */
  public static final List<String> JVM_FLAGS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx128m");
  /** How long to wait for a started registry to answer, and for the lock. */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private static final ConcurrentMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

  private RegistryAutoStarter() {}

  /** True if this process can start a registry (its class is on the class path). */
  public static boolean isAvailable() {
    try {
      Class.forName(MAIN_CLASS, false, RegistryAutoStarter.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Makes sure a registry answers on {@code connection}, starting one if needed. */
  public static void ensureRunning(RegistryConnection connection) {
    Path dir = connection.locator().stateDir().toAbsolutePath().normalize();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try {
      Files.createDirectories(dir);
      synchronized (JVM_LOCKS.computeIfAbsent(dir, d -> new Object())) {
        try (FileChannel file = FileChannel.open(dir.resolve("registry.lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
          FileLock lock = lock(file, dir, deadline);
          try {
            if (connection.probe(Duration.ofSeconds(1))) {
              return; // someone else started it while we waited for the lock
            }
            Process process = spawn(dir);
            awaitAnswer(connection, process, dir, deadline);
          } finally {
            lock.release();
          }
        }
      }
    } catch (IOException e) {
      throw new BerthException(Status.UNAVAILABLE.withDescription(
          "cannot start a Berth registry in " + dir + ": " + e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BerthException(Status.CANCELLED.withDescription("interrupted while starting a registry"), e);
    }
  }

  private static FileLock lock(FileChannel file, Path dir, long deadline)
      throws IOException, InterruptedException {
    while (true) {
      FileLock lock = file.tryLock();
      if (lock != null) {
        return lock;
      }
      if (System.nanoTime() > deadline) {
        throw new BerthException(Status.DEADLINE_EXCEEDED.withDescription(
            "another process holds " + dir.resolve("registry.lock") + " for longer than "
                + START_TIMEOUT.toSeconds() + "s"));
      }
      Thread.sleep(50);
    }
  }

  private static Process spawn(Path dir) throws IOException {
    List<String> command = new ArrayList<>();
    for (String setsid : List.of("/usr/bin/setsid", "/bin/setsid")) {
      if (Files.isExecutable(Paths.get(setsid))) {
        command.add(setsid);
        break;
      }
    }
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.addAll(List.of(MAIN_CLASS, "--home", dir.toString()));
    ProcessBuilder builder = new ProcessBuilder(command);
    // the class path through the environment, not -cp: keeps the command line that ps and
    // `berth who` show short and readable
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    builder
        .redirectErrorStream(true)
        .redirectOutput(Redirect.appendTo(dir.resolve("registry.log").toFile()));
    File devNull = new File("/dev/null");
    if (devNull.exists()) {
      builder.redirectInput(Redirect.from(devNull));
    }
    return builder.start();
  }

  private static void awaitAnswer(RegistryConnection connection, Process process, Path dir, long deadline)
      throws InterruptedException {
    while (System.nanoTime() < deadline) {
      if (RegistryLocator.readInfo(dir).isPresent() && connection.probe(Duration.ofMillis(500))) {
        connection.rediscover();
        return;
      }
      if (!process.isAlive()) {
        throw new BerthException(Status.UNAVAILABLE.withDescription(
            "the registry this process started exited with code " + process.exitValue()
                + "; see " + dir.resolve("registry.log")));
      }
      Thread.sleep(50);
    }
    throw new BerthException(Status.DEADLINE_EXCEEDED.withDescription(
        "a registry started in " + dir + " did not answer within " + START_TIMEOUT.toSeconds()
            + "s; see " + dir.resolve("registry.log")));
  }
}
