package dev.berth.cli.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One sample service of {@code berth demo}, running as its own JVM on this jar's class path. Its
 * stdout lines are echoed, indented; its stderr goes to {@code <state dir>/<name>.log}.
 */
final class SampleChild {

  /** JVM flags for the samples: quick start and little memory on a laptop. */
  private static final List<String> JVM_FLAGS = List.of(
      "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xmx128m");

  final String name;
  private final Process process;
  private final Path log;
  private final CountDownLatch serving = new CountDownLatch(1);

  private SampleChild(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code mainClass}; the marker {@code -Dberth.demo=<stateDir>} names the demo it belongs to. */
  static SampleChild start(String name, String mainClass, Path stateDir, String registry,
               PrintWriter echo, String indent) throws IOException {
    List<String> jvm = new ArrayList<>(JVM_FLAGS);
    jvm.add("-Dberth.demo=" + stateDir);
    Path log = stateDir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(JavaCommand.of(jvm, mainClass))
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    Map<String, String> env = builder.environment();
    env.put("BERTH_HOME", stateDir.toString());
    env.put("BERTH_REGISTRY", registry);
    env.put(dev.berth.samples.SampleProcess.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
    env.remove("XDG_RUNTIME_DIR");
    SampleChild child = new SampleChild(name, builder.start(), log);
    Thread reader = new Thread(() -> child.echo(echo, indent), "berth-demo-" + name + "-stdout");
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  private void echo(PrintWriter out, String indent) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (out) {
          out.println(indent + line);
          out.flush();
        }
        if (line.contains(" serving ")) {
          serving.countDown();
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  /** True once the sample printed its "serving" line (it is live in the registry by then). */
  boolean awaitServing(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (serving.await(50, TimeUnit.MILLISECONDS)) {
        return true;
      }
      if (!process.isAlive()) {
        return false;
      }
    }
    return false;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, as {@code kill -9} does; waits until the process is gone. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, without waiting. */
  void terminate() {
    process.destroy();
  }

  /** SIGTERM, then SIGKILL after {@code grace}. */
  void stop(Duration grace) {
    ChildSignals.stop(process, grace);
  }

  /** The last lines the sample wrote to stderr, for a failure message. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
