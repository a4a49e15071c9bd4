package dev.berth.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports for tests that no other test JVM on this machine and no Berth registry's default pool
 * uses, so that the suite passes beside a developer's own registry and beside a second
 * {@code mvn verify}.
 *
 * <p>A JVM leases {@link #BLOCK_SIZE}-port blocks below the kernel's ephemeral range (so
 * outgoing connections never land in one) and below 61000 (Berth's default pool). A block is
 * this JVM's while it holds an exclusive lock on the block's file in one machine-wide
 * directory, {@code /tmp/berth-test-pools}; the lock is held for the JVM's life and the kernel
 * drops it when the JVM dies, however it dies, so a crashed run leaks nothing. A block is taken
 * only if each of its ports is free on 127.0.0.1 and ::1 right then. Within the JVM,
 * {@link #take} hands out each port once: child processes given a range (as {@code --ports} or
 * {@code BERTH_PORTS}) use it under this JVM's lease, which outlives them.
 *
 * <pre>{@code
 * PortRange pool = TestPools.take(8);
 * BerthRegistry.builder().stateDir(dir).port(0).ports(pool.first(), pool.last());
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TestPools {

  /** Ports per leased block: the most one {@link #take} can return. */
  public static final int BLOCK_SIZE = 64;

  /** Where the lock files live: one directory for every user and run on the machine. */
  static final Path SHARED_DIR = Path.of(
      Files.isDirectory(Path.of("/tmp")) ? "/tmp" : System.getProperty("java.io.tmpdir"),
      "berth-test-pools");

  // above the ports people run servers on by hand (3000, 5432, 8080, 9090, ...)
  static final int LOWEST = 10240;
  static final int DEFAULT_POOL_FIRST = 61000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private static final Object LOCK = new Object();
  private static BlockLeases leases;
  private static int next;
  private static int blockEnd;

  private TestPools() {}

  /**
   * {@code n} consecutive ports ({@code 1 <= n <= 64}) never handed out before in this JVM and
   * leased by no other JVM.
   *
   * @throws IllegalStateException no block can be leased (every one taken or in use)
   */
  public static PortRange take(int n) {
    if (n < 1 || n > BLOCK_SIZE) {
      throw new IllegalArgumentException("n: " + n + " (expected: 1.." + BLOCK_SIZE + ")");
    }
    synchronized (LOCK) {
      if (blockEnd - next < n) {
        if (leases == null) {
          leases = new BlockLeases(SHARED_DIR, blockStarts(ephemeralFirst()), BLOCK_SIZE);
        }
        next = leases.lease();
        blockEnd = next + BLOCK_SIZE;
      }
      PortRange range = new PortRange(next, next + n - 1);
      next += n;
      return range;
    }
  }

  /** One port of this JVM's own (see {@link #take}). */
  public static int port() {
    return take(1).first();
  }

  /** A listening socket on 127.0.0.1:{@code port}, as a foreign process would hold it. */
  public static ServerSocket squat(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return s;
  }

  /**
   * The first port of each block the test JVMs of this machine may lease: from 10240 up to
   * the ephemeral range or 61000, whichever comes first.
   */
  static List<Integer> blockStarts(int ephemeralFirst) {
    int top = Math.min(ephemeralFirst, DEFAULT_POOL_FIRST); // exclusive
    List<Integer> starts = new ArrayList<>();
    for (int first = LOWEST; first + BLOCK_SIZE <= top; first += BLOCK_SIZE) {
      starts.add(first);
    }
    if (starts.isEmpty()) {
      throw new IllegalStateException("no room for test ports below the ephemeral range ("
          + EPHEMERAL_RANGE + " starts at " + ephemeralFirst + "; expected: above "
          + (LOWEST + BLOCK_SIZE) + ")");
    }
    return starts;
  }

  static int ephemeralFirst() {
    try {
      // not Files.readString: it trusts the size sysctl files report
      String[] parts = String.join(" ", Files.readAllLines(EPHEMERAL_RANGE, StandardCharsets.US_ASCII))
          .trim().split("\\s+");
      return Integer.parseInt(parts[0]);
    } catch (IOException | RuntimeException e) {
      return 49152; // IANA's dynamic range: macOS, or no /proc
    }
  }
}
