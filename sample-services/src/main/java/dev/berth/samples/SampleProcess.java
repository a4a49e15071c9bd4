package dev.berth.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * What the three sample mains share: the one line each prints when it serves, a clean stop on
 * SIGTERM/SIGINT, and (for {@code berth demo}) exiting together with the process that started it.
 *
 * <p>Samples are applications, so unlike the Berth libraries they may add JVM shutdown hooks.
 * Thread-safe.
 */
public final class SampleProcess {

  /**
   * Environment variable naming a pid to exit with. {@code berth demo} sets it so that no sample
   * outlives the demo, even when the demo itself is killed with SIGKILL.
   */
  public static final String PARENT_PID_ENV = "BERTH_SAMPLE_PARENT_PID";

  private final String name;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private SampleProcess(String name) {
    this.name = name;
  }

  /** Starts the lifecycle of the sample {@code name}: stop hook and parent watch. */
  public static SampleProcess start(String name) {
    SampleProcess process = new SampleProcess(name);
    Runtime.getRuntime().addShutdownHook(new Thread(process::stop, name + "-shutdown"));
    String parent = System.getenv(PARENT_PID_ENV);
    if (parent != null && !parent.isBlank()) {
      ProcessHandle.of(Long.parseLong(parent.trim()))
          .ifPresentOrElse(
              p -> p.onExit().thenRun(() -> System.exit(0)),
              () -> System.exit(0));
    }
    return process;
  }

  /** Closes {@code resource} on stop, in the reverse order of registration. */
  public synchronized <T extends AutoCloseable> T closeOnStop(T resource) {
    resources.add(resource);
    return resource;
  }

  /** Prints the one line that says this sample serves, e.g. {@code catalog serving on ...}. */
  public void announce(String what, int port) {
    System.out.printf("%s serving %son 127.0.0.1:%d (pid %d)%n",
        name, what.isEmpty() ? "" : what + " ", port, ProcessHandle.current().pid());
    System.out.flush();
  }

  /** Blocks until the process is stopping. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  private void stop() {
    List<AutoCloseable> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(resources);
      resources.clear();
    }
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        System.err.println(name + ": while stopping: " + e);
      }
    }
    stopped.countDown();
  }
}
