package dev.berth.registry;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A Java main class run as a real child process on this JVM's class path. */
final class ChildJvm implements AutoCloseable {

  final Process process;
  private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
  private final StringBuffer stderr = new StringBuffer();

  private ChildJvm(Process process) {
    this.process = process;
    pump(process.getInputStream(), stdout::add, "stdout");
    pump(process.getErrorStream(), line -> stderr.append(line).append('\n'), "stderr");
  }

  static ChildJvm start(Class<?> main, String... args) throws IOException {
    return start(Map.of(), main, args);
  }

  /** Like {@link #start(Class, String...)}, with {@code env} added to this JVM's environment. */
  static ChildJvm start(Map<String, String> env, Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // start fast on a small machine: these children live for seconds
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"),
        main.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    return new ChildJvm(builder.start());
  }

  /** The first stdout line matching {@code condition}, waiting at most 20 s (JVM start on 2 cores). */
  String awaitLine(Predicate<String> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : stdout.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
      if (line == null && left > 0 && (process.isAlive() || !stdout.isEmpty())) {
        continue;
      }
      if (line == null) {
        fail("child printed no matching line within 20 s; alive=" + process.isAlive()
            + "; stderr:\n" + stderr);
      }
      if (condition.test(line)) {
        return line;
      }
    }
  }

  /** The exit code, waiting at most 15 s. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      fail("child did not exit within 15 s; stderr:\n" + stderr);
    }
    return process.exitValue();
  }

  String stderr() {
    return stderr.toString();
  }

  /** SIGKILL on Linux, so that no child ever outlives its test. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pump(InputStream in, java.util.function.Consumer<String> sink, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          sink.accept(line);
        }
      } catch (IOException e) {
        // the child is gone
      }
    }, "child-" + name);
    t.setDaemon(true);
    t.start();
  }
}
