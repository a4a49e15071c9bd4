package dev.berth.spring.boot;

import dev.berth.spring.boot.apps.DiesWithParent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Spring Boot application in a child JVM on this JVM's class path, pointed at a test
 * registry; its output lines are collected so a test can wait (bounded) for one.
 * {@link #close} kills it with SIGKILL, and it halts by itself when this JVM is gone
 * ({@link DiesWithParent}). Used from one test thread at a time.
 */
final class SpringChild implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private SpringChild(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process died; waiters time out with what was seen
      }
    }, "spring-child-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static SpringChild start(Class<?> main, int registryPort, Path stateDir, String... properties) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC",
        "-Dberth.registry=127.0.0.1:" + registryPort, "-Dberth.home=" + stateDir,
        "-Dberth.unix-sockets=false", "-Dspring.main.banner-mode=off", "-Dlogging.level.root=WARN"));
    for (String p : properties) {
      command.add("-D" + p);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), DiesWithParent.class.getName(),
        Long.toString(ProcessHandle.current().pid()), main.getName()));
    return new SpringChild(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** Waits for a line starting with {@code prefix}, or finds one seen before. */
  void awaitLine(String prefix, Duration timeout) throws InterruptedException {
    if (seen.stream().anyMatch(line -> line.startsWith(prefix))) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("no line '" + prefix + "...' from child within " + timeout
            + " (alive: " + process.isAlive() + "); output: " + seen);
      }
      seen.add(line);
      if (line.startsWith(prefix)) {
        return;
      }
    }
  }

  long pid() {
    return process.pid();
  }

  /** SIGTERM: Spring closes its context (and the lease); waits (bounded) for the exit. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new AssertionError("child " + process.pid() + " did not exit on SIGTERM; output: " + seen);
    }
  }

  /** kill -9, and wait (bounded) until it is gone; throws if it is not. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("child " + process.pid() + " still alive 10 s after SIGKILL");
    }
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }
}
