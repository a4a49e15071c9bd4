package dev.berth.spring.boot;

import dev.berth.spring.boot.apps.DiesWithParent;
import dev.berth.testing.ChildOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spring Boot application in a child JVM on this JVM's class path, pointed at a test
 * registry; its output lines are collected so a test can wait (bounded) for one.
 * {@link #close} kills it with SIGKILL, and it halts by itself when this JVM is gone
 * ({@link DiesWithParent}). Used from one test thread at a time.
 */
final class SpringChild implements AutoCloseable {
  private final Process process;
  private final ChildOutput output;

  private SpringChild(Process process) {
    this.process = process;
    this.output = ChildOutput.of(process, "spring-child-output");
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
    if (!output.took(prefix)) {
      output.next(prefix, timeout);
    }
  }

  long pid() {
    return process.pid();
  }

  /** SIGTERM: Spring closes its context (and the lease); waits (bounded) for the exit. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      throw new AssertionError("child " + process.pid() + " did not exit on SIGTERM; output: " + output.taken());
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
