package dev.berth.client.internal;

import dev.berth.client.BerthException;
import dev.berth.local.RegistryLauncher;
import dev.berth.local.StateDir;
import dev.berth.local.StateDirRefusedException;
import io.grpc.Status;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Starts a registry when none answers, through {@link RegistryLauncher} (the one launcher
 * {@code berth registry start} uses too): {@code java dev.berth.registry.Main --home DIR} with this
 * process's class path, detached (its own session where {@code setsid} exists, so a Ctrl-C
 * aimed at one service leaves the shared registry alone), output to {@code DIR/registry.log}.
 *
 * <p>Two clients starting at once start one registry: the start happens under an exclusive
 * lock on {@code DIR/registry.lock} (a JVM-wide monitor too, because file locks are
 * per-process), and whoever gets the lock checks again for a running registry first.
 *
 * <p>A registry that is slow to answer is not a missing one: the registry holds
 * {@code DIR/registry.pid.lock} for its whole life, and while that lock is held this waits for
 * it to answer (bounded, one clear error if it never does) instead of starting a second one,
 * which would find the dir locked and exit. The dir is created 0700, {@code registry.lock}
 * and {@code registry.log} 0600, and a dir another user owns or can write is refused.
 *
 * <p>Thread-safe; blocks for at most {@link #START_TIMEOUT} plus the lock wait.
 */
public final class RegistryAutoStarter {
  /** How long to wait for a started registry to answer, and for the lock. */
  public static final Duration START_TIMEOUT = RegistryLauncher.START_TIMEOUT;

  private static final ConcurrentMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

  private RegistryAutoStarter() {}

  /** True if this process can start a registry (its class is on the class path). */
  public static boolean isAvailable() {
    try {
      Class.forName(RegistryLauncher.MAIN_CLASS, false, RegistryAutoStarter.class.getClassLoader());
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
      StateDir state = StateDir.of(dir).prepare();
      synchronized (JVM_LOCKS.computeIfAbsent(dir, d -> new Object())) {
        try (FileChannel file = FileChannel.open(state.createFile(StateDir.START_LOCK),
            StandardOpenOption.WRITE)) {
          FileLock lock = lock(file, dir, deadline);
          try {
            if (connection.probe(Duration.ofSeconds(1))) {
              return; // someone else started it while we waited for the lock
            }
            // the lifetime lock is the truth: held means a registry runs here or is starting
            Process process = state.registryRunning() ? null : spawn(state);
            awaitAnswer(connection, process, state, deadline);
          } finally {
            lock.release();
          }
        }
      }
    } catch (StateDirRefusedException e) {
      throw new BerthException(Status.FAILED_PRECONDITION.withDescription(e.getMessage()), e);
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

  private static Process spawn(StateDir state) throws IOException {
    return RegistryLauncher.of(state).start();
  }

  /**
   * Waits for the registry of {@code state} to answer: the one this process started
   * ({@code process}), or with {@code process} null the one that holds the lifetime lock. A
   * started registry that exits while another holds the lifetime lock lost it to a registry
   * started at the same moment ({@code berth registry start}, a client of another state-dir lock holder):
   * this hands over to that one, as {@code berth registry start} does; the lock is the truth. If the
   * holder lets go of the lock without ever answering, starts one after all. Bounded by
   * {@code deadline}.
   */
  private static void awaitAnswer(RegistryConnection connection, Process process, StateDir state,
      long deadline) throws IOException, InterruptedException {
    Path dir = state.path();
    while (System.nanoTime() < deadline) {
      if (RegistryLocator.readInfo(dir).isPresent() && connection.probe(Duration.ofMillis(500))) {
        connection.rediscover();
        return;
      }
      if (process != null && !process.isAlive()) {
        if (!state.registryRunning()) {
          throw new BerthException(Status.UNAVAILABLE.withDescription(
              "the registry this process started exited with code " + process.exitValue()
                  + "; see " + dir.resolve(StateDir.LOG)));
        }
        process = null; // it lost the lock to one started at the same moment: wait for that one
      }
      if (process == null && !state.registryRunning()) {
        process = spawn(state); // the registry that held the lock is gone without answering
      }
      Thread.sleep(50);
    }
    if (process == null) {
      String who = RegistryLocator.readInfo(dir)
          .map(info -> "pid " + info.getPid() + " at " + info.getAddress())
          .orElse("no registry.json yet");
      throw new BerthException(Status.DEADLINE_EXCEEDED.withDescription(
          "a registry holds " + dir.resolve(StateDir.LIFETIME_LOCK) + " (" + who + ") but did not"
              + " answer within " + START_TIMEOUT.toSeconds() + "s; not starting a second one"
              + " (see " + dir.resolve(StateDir.LOG) + ", or stop it with 'berth registry stop')"));
    }
    throw new BerthException(Status.DEADLINE_EXCEEDED.withDescription(
        "a registry started in " + dir + " did not answer within " + START_TIMEOUT.toSeconds()
            + "s; see " + dir.resolve(StateDir.LOG)));
  }
}
