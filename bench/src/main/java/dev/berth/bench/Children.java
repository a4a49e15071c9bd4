package dev.berth.bench;

import dev.berth.local.RegistryLauncher;
import dev.berth.local.StateDir;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The child JVMs of a bench run: registries and services started as real processes, on this
 * JVM's class path, each destroyed forcibly on {@link #close()}. Not thread-safe.
 */
final class Children implements AutoCloseable {
  /**
   * The flags {@code berth registry start} and a client's auto-start give the daemon; every registry of
   * the run gets them. {@code -Dberth.bench.registryJvmFlags="..."} replaces them, to compare.
   */
  static final List<String> REGISTRY_JVM_FLAGS = System.getProperty("berth.bench.registryJvmFlags") != null
      ? List.of(System.getProperty("berth.bench.registryJvmFlags").trim().split("\\s+"))
      : RegistryLauncher.JVM_FLAGS;

  private final List<Child> children = new ArrayList<>();

  /** A started child with its stdout lines queued for {@link #awaitLine}. */
  static final class Child {
    final Process process;
    private final BlockingQueue<String> lines = new ArrayBlockingQueue<>(4096);

    private Child(Process process) {
      this.process = process;
      Thread reader = new Thread(this::pump, "bench-child-" + process.pid() + "-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    private void pump() {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.offer(line);
        }
      } catch (IOException e) {
        // the child is gone
      }
    }

    /** The next stdout line that starts with {@code prefix}; fails after {@code timeout}. */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
        if (line == null) {
          throw new IllegalStateException("child " + process.pid() + " printed no line starting with '"
              + prefix + "' within " + timeout + (process.isAlive() ? "" : " (it exited "
              + process.exitValue() + ")"));
        }
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    }

    void send(String line) throws IOException {
      process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    }

    /** SIGKILL, then wait until the kernel has reaped it. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A registry started the way {@code berth registry start} starts one, its stdout read here. */
  Child registry(int port, Path home) throws IOException {
    return adopt(launcher(port, home).start());
  }

  /** As {@link #registry(int, Path)}, handing out the ports {@code pool} ({@code A-B}). */
  Child registry(int port, Path home, String pool) throws IOException {
    return adopt(launcher(port, home).ports(pool).start());
  }

  private static RegistryLauncher launcher(int port, Path home) {
    return RegistryLauncher.of(StateDir.of(home)).port(port).jvmFlags(REGISTRY_JVM_FLAGS)
        .outputToCaller();
  }

  /** {@link LeaseHolder} holding {@code n} leases on the registry of {@code home}. */
  Child leaseHolder(Path home, int n) throws IOException {
    return start(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", LeaseHolder.class.getName(),
        home.toString(), Integer.toString(n)));
  }

  Child benchChild(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", BenchChild.class.getName()));
    all.addAll(List.of(args));
    return start(all);
  }

  /** An {@link EtcdChild}, with the JVM flags of a {@link #benchChild}. */
  Child etcdChild(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", EtcdChild.class.getName()));
    all.addAll(List.of(args));
    return start(all);
  }

  /**
   * Any program ({@code bin/berth up}, a sample JVM, python3) in {@code dir}, with {@code env}
   * added to this process's environment less the variables that would point it at another
   * registry or stack; stderr appended to {@code log}.
   */
  Child program(List<String> command, Path dir, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    for (String inherited : List.of("BERTH_HOME", "BERTH_REGISTRY", "BERTH_NAMESPACE", "BERTH_PORTS",
        "XDG_RUNTIME_DIR")) {
      builder.environment().remove(inherited);
    }
    builder.environment().putAll(env);
    return adopt(builder.start());
  }

  private Child start(List<String> jvmArgsAndMain) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(RegistryLauncher.javaBinary());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(jvmArgsAndMain);
    return adopt(new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start());
  }

  private Child adopt(Process process) {
    Child child = new Child(process);
    children.add(child);
    return child;
  }

  @Override
  public void close() throws InterruptedException {
    for (Child child : children) {
      child.process.destroyForcibly();
    }
    for (Child child : children) {
      child.process.waitFor(10, TimeUnit.SECONDS);
    }
    children.clear();
  }
}
