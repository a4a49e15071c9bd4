package dev.berth.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One single-member etcd as a child process: its data dir a fresh temporary directory, its
 * client and peer URLs on 127.0.0.1 at free ports, etcd's own defaults otherwise (as a user's
 * {@code etcd} runs). {@link #close()} kills it and deletes the data dir. Not thread-safe.
 *
 * <p>The ports are found by binding port 0 (then released, so another process could take one
 * before etcd binds it: etcd then exits and {@link #awaitListening} says so). With
 * {@code -Dberth.bench.etcdPorts=LOW-HIGH} they are taken from that range instead.
 *
 * <p>A JVM shutdown hook (the bench is a command, not a library) kills etcd and deletes its dir
 * if the run is interrupted before {@link #close()}: an etcd left behind would run on forever.
 */
final class EtcdProcess implements AutoCloseable {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final Process process;
  private final Path dir;
  private final int clientPort;
  private final Thread onInterrupt;

  private EtcdProcess(Process process, Path dir, int clientPort) {
    this.process = process;
    this.dir = dir;
    this.clientPort = clientPort;
    this.onInterrupt = new Thread(this::kill, "bench-etcd-" + process.pid() + "-cleanup");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
  }

  /** Starts etcd; returns at once (see {@link #awaitListening}). */
  static EtcdProcess start(EtcdInstall etcd) throws IOException {
    Path dir = Files.createTempDirectory("berth-bench-etcd");
    int[] ports = freePorts(2);
    String client = "http://127.0.0.1:" + ports[0];
    String peer = "http://127.0.0.1:" + ports[1];
    ProcessBuilder builder = new ProcessBuilder(etcd.etcd().toString(),
        "--name", "bench",
        "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", client,
        "--advertise-client-urls", client,
        "--listen-peer-urls", peer,
        "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "bench=" + peer,
        "--logger", "zap",
        "--log-level", "error")
        .redirectOutput(dir.resolve("etcd.log").toFile())
        .redirectErrorStream(true);
    withoutEtcdEnvironment(builder.environment());
    try {
      return new EtcdProcess(builder.start(), dir, ports[0]);
    } catch (IOException e) {
      deleteTree(dir);
      throw e;
    }
  }

  /** The user's ETCD_* / ETCDCTL_* settings would configure the bench's etcd and etcdctl too. */
  static void withoutEtcdEnvironment(Map<String, String> env) {
    env.keySet().removeIf(k -> k.startsWith("ETCD_") || k.startsWith("ETCDCTL_"));
    env.put("ETCDCTL_API", "3");
  }

  int clientPort() {
    return clientPort;
  }

  /** The address etcdctl's {@code --endpoints} takes. */
  String endpoint() {
    return "http://127.0.0.1:" + clientPort;
  }

  long pid() {
    return process.pid();
  }

  /** Returns once the client port accepts a TCP connection; fails if etcd exits first. */
  void awaitListening(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("etcd exited " + process.exitValue() + " before listening on "
            + clientPort + ": " + logTail());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(LOOPBACK, clientPort), 100);
        return;
      } catch (IOException notYet) {
        Thread.sleep(1);
      }
    }
    throw new IllegalStateException("etcd did not listen on " + clientPort + " within " + timeout + ": " + logTail());
  }

  /** Resident set ({@code VmRSS}) in bytes. */
  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS in /proc/" + pid() + "/status");
  }

  /** CPU time (user + system) so far, from /proc/PID/stat (clock ticks of 10 ms). */
  long cpuNanos() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("etcd.log"), StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
    } catch (IllegalStateException shuttingDown) {
      return; // the hook runs, or has run, kill()
    }
    kill();
  }

  private void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      deleteTree(dir);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      System.err.println("berth bench: could not delete " + dir + ": " + e);
    }
  }

  private static int[] freePorts(int n) throws IOException {
    String range = System.getProperty("berth.bench.etcdPorts");
    List<ServerSocket> held = new ArrayList<>();
    try {
      if (range == null) {
        for (int i = 0; i < n; i++) {
          held.add(new ServerSocket(0, 1, LOOPBACK));
        }
      } else {
        String[] bounds = range.split("-");
        int low = Integer.parseInt(bounds[0].trim());
        int high = Integer.parseInt(bounds[1].trim());
        int span = high - low + 1;
        int offset = ThreadLocalRandom.current().nextInt(span);
        for (int i = 0; i < span && held.size() < n; i++) {
          try {
            held.add(new ServerSocket(low + (offset + i) % span, 1, LOOPBACK));
          } catch (IOException taken) {
            // try the next one
          }
        }
        if (held.size() < n) {
          throw new IOException("berth.bench.etcdPorts: " + range + " (expected: " + n + " free ports in it)");
        }
      }
      return held.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
