package dev.berth.client;

import dev.berth.testing.ChildOutput;
import java.io.IOException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test main on this JVM's class path; its output lines are collected
 * so a test can wait (bounded) for one. {@link #close} kills it with SIGKILL.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final ChildOutput output;

  private ChildJvm(Process process) {
    this.process = process;
    this.output = ChildOutput.of(process, "child-output");
  }

  static ChildJvm start(Class<?> main, String... args) throws IOException {
    return start(Map.of(), System.getProperty("java.class.path"), main, args);
  }

  /** Like {@link #start(Class, String...)}, with {@code env} added to this JVM's environment. */
  static ChildJvm start(Map<String, String> env, Class<?> main, String... args) throws IOException {
    return start(env, System.getProperty("java.class.path"), main, args);
  }

  /** Like {@link #start(Map, Class, String...)}, on {@code classPath} instead of this JVM's. */
  static ChildJvm start(Map<String, String> env, String classPath, Class<?> main, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xss512k", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-cp", classPath, main.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    return new ChildJvm(builder.start());
  }

  /** Waits for a line starting with {@code prefix} and returns the rest of it. */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    return output.next(prefix, timeout);
  }

  long pid() {
    return process.pid();
  }

  /** kill -9, and wait (bounded) until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

}
