package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.local.RegistryArchive;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real shaded {@code target/berth.jar} as child processes with {@code BERTH_HOME} set to
 * a test's temp dir and {@code BERTH_PORTS} to a pool of this JVM's own ({@link TestPools}), so
 * every registry they start or auto-start hands out ports no other registry on the machine
 * uses; kills every process it started (and their descendants) on close.
 */
final class BerthJar implements AutoCloseable {

  static final Path JAR = Path.of(System.getProperty("berth.jar", "target/berth.jar")).toAbsolutePath();
  /** The launcher bin/berth runs: the fast path, with berth.jar in its Class-Path. */
  static final Path LAUNCHER = JAR.resolveSibling("berth-launcher.jar");
  static final Path TEST_CLASSES = Path.of(System.getProperty("berth.testClasses", "target/test-classes"))
      .toAbsolutePath();
  /** Quick JVM start: these processes live for a second. */
  private static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private final Path home;
  private final Path logs;
  private final PortRange pool = TestPools.take(32);
  private final List<Process> started = new ArrayList<>();
  private int counter;

  /** Uses {@code tempDir/home} as BERTH_HOME and {@code tempDir/logs} for the output. */
  BerthJar(Path tempDir) throws IOException {
    assertThat(JAR).as("the shaded jar (mvn package)").isRegularFile();
    this.home = Files.createDirectories(tempDir.resolve("home"));
    this.logs = Files.createDirectories(tempDir.resolve("logs"));
  }

  Path home() {
    return home;
  }

  /** The pool every registry started through this gets. */
  PortRange pool() {
    return pool;
  }

  /** The outcome of one finished {@code berth} run. */
  static final class Result {
    final int exitCode;
    final String out;
    final String err;

    Result(int exitCode, String out, String err) {
      this.exitCode = exitCode;
      this.out = out;
      this.err = err;
    }

    List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** A server socket bound to {@code port} on loopback: what a claim's bind does in these tests. */
  static java.net.ServerSocket listen(int port) throws IOException {
    java.net.ServerSocket socket = new java.net.ServerSocket();
    socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  /** Closes each that is not null, in order (a class's fixtures, whatever of them started). */
  static void closeAll(AutoCloseable... closeables) throws Exception {
    for (AutoCloseable c : closeables) {
      if (c != null) {
        c.close();
      }
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static List<String> command(List<String> jvmFlags, String... args) {
    return command(JAR, jvmFlags, args);
  }

  static List<String> command(Path jar, List<String> jvmFlags, String... args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(JVM_FLAGS);
    // berth.jar's class-data-sharing archive, which `package` trains for the registry daemon on
    // the same class path: most of what a command loads (gRPC, Netty, protobuf) is in it, and
    // a JVM that maps it spends about a third less CPU starting, which on a 2-core CI machine
    // running three forks of these ITs is their wall time. Only when its stamp matches
    // (RegistryArchive.matching), so a stale one is never handed over; the launcher jar has none.
    RegistryArchive.matching(jar.toString())
        .ifPresent(archive -> command.add("-XX:SharedArchiveFile=" + archive));
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    return command;
  }

  /** Runs {@code java -jar jar args...} to completion (bounded), with this test's environment and {@code env}. */
  Result runJar(Path jar, Map<String, String> env, String... args) throws IOException, InterruptedException {
    return runJarIn(null, jar, env, args);
  }

  /** {@link #runJar} in the working directory {@code dir} (null: this JVM's). */
  Result runJarIn(Path dir, Path jar, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Started s;
    synchronized (this) {
      int n = ++counter;
      Path out = logs.resolve(n + ".out");
      Path err = logs.resolve(n + ".err");
      ProcessBuilder builder = new ProcessBuilder(command(jar, List.of(), args))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      if (dir != null) {
        builder.directory(dir.toFile());
      }
      environment(builder.environment());
      builder.environment().putAll(env);
      Process process = builder.start();
      started.add(process);
      s = new Started(process, out, err);
    }
    return s.await(Duration.ofSeconds(60));
  }

  /** A berth process in the background, output to files; killed on close. */
  Started start(String... args) throws IOException {
    return startJvm(List.of(), args);
  }

  /** Like {@link #start}, with extra flags for berth's JVM. */
  synchronized Started startJvm(List<String> jvmFlags, String... args) throws IOException {
    int n = ++counter;
    Path out = logs.resolve(n + ".out");
    Path err = logs.resolve(n + ".err");
    ProcessBuilder builder = new ProcessBuilder(command(jvmFlags, args))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    environment(builder.environment());
    Process process = builder.start();
    started.add(process);
    return new Started(process, out, err);
  }

  /** This test's state dir and pool; nothing of the developer's own registry. */
  void environment(Map<String, String> env) {
    env.put("BERTH_HOME", home.toString());
    env.put("BERTH_PORTS", pool.toString());
    env.remove("BERTH_REGISTRY");
    env.remove("BERTH_NAMESPACE");
    env.remove("XDG_RUNTIME_DIR");
  }

  /** Runs {@code berth args...} to completion (bounded). */
  Result run(String... args) throws IOException, InterruptedException {
    return start(args).await(Duration.ofSeconds(60));
  }

  /** Starts {@code berth registry --port 0} and returns its address once it listens. */
  String startRegistry() throws Exception {
    Started registry = start("registry", "--port", "0");
    String line = registry.awaitLine("listening on", Duration.ofSeconds(30));
    String address = line.replaceAll(".*listening on (\\S+).*", "$1");
    assertThat(address).matches("127\\.0\\.0\\.1:\\d+");
    return address;
  }

  /** A process started by {@link #start}. */
  static final class Started {
    final Process process;
    final Path out;
    final Path err;

    Started(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    String out() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    String err() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }

    Result await(Duration timeout) throws IOException, InterruptedException {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("berth did not finish within " + timeout + "\n" + out() + err());
      }
      return new Result(process.exitValue(), out(), err());
    }

    /** Waits for a line of stdout or stderr containing {@code text}. */
    String awaitLine(String text, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (String line : (out() + "\n" + err()).split("\n")) {
          if (line.contains(text)) {
            return line;
          }
        }
        if (!process.isAlive()) {
          throw new AssertionError("exited " + process.exitValue() + " before printing '" + text
              + "'\n" + out() + err());
        }
        Thread.sleep(20);
      }
      throw new AssertionError("no '" + text + "' within " + timeout + "\n" + out() + err());
    }
  }

  @Override
  public synchronized void close() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    try {
      for (Process p : started) {
        p.waitFor(10, TimeUnit.SECONDS);
      }
      stopAutoStartedRegistry();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A registry that a command auto-started in this home (berth up, berth run) runs in a session
   * of its own, no descendant of what the test started: stopped here, if its command line names
   * this home (so a pid reused since is left alone).
   */
  private void stopAutoStartedRegistry() throws InterruptedException {
    java.util.Optional<dev.berth.proto.v1.RegistryInfo> info;
    try {
      info = dev.berth.local.StateDir.of(home).readRegistryInfo();
    } catch (IOException | RuntimeException e) {
      return;
    }
    java.util.Optional<ProcessHandle> registry = info.flatMap(i -> ProcessHandle.of(i.getPid()))
        .filter(h -> h.info().commandLine().map(c -> c.contains(home.toString())).orElse(false));
    if (registry.isPresent()) {
      registry.get().destroyForcibly();
      try {
        registry.get().onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // gone or going: nothing more to do for it
      }
    }
  }
}
