package dev.berth.testing;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Blocks of ports leased across processes: block {@code F} belongs to the process holding an
 * exclusive lock on {@code DIR/F.lock}. Locks are never released while the JVM lives (the
 * kernel drops them when it dies), and lock files are never deleted (a new file would be a
 * second lock for the same block).
 *
 * <p>Thread-safe.
 */
final class BlockLeases {

  private final Path dir;
  private final List<Integer> starts;
  private final int blockSize;
  // strong references for the JVM's life: a collected channel would give its block away
  private final List<FileLock> held = new ArrayList<>();

  BlockLeases(Path dir, List<Integer> starts, int blockSize) {
    this.dir = dir;
    this.starts = List.copyOf(starts);
    this.blockSize = blockSize;
  }

  /**
   * The first port of a block that no other process holds and whose ports are all free now.
   *
   * @throws IllegalStateException every block is held or in use
   */
  synchronized int lease() {
    if (starts.isEmpty()) {
      throw new IllegalStateException("no blocks to lease (expected: at least one)");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir + " for test port locks: " + e, e);
    }
    openToAll(dir);
    // a random start spreads concurrent JVMs out; then every block once, in order
    int offset = ThreadLocalRandom.current().nextInt(starts.size());
    for (int i = 0; i < starts.size(); i++) {
      int first = starts.get((offset + i) % starts.size());
      FileLock lock = tryLock(dir.resolve(first + ".lock"));
      if (lock == null) {
        continue; // another process's (or already this one's)
      }
      if (allFree(first, blockSize)) {
        held.add(lock);
        return first;
      }
      close(lock.channel()); // something outside the scheme listens there
    }
    throw new IllegalStateException("no free block of " + blockSize + " ports among "
        + starts.size() + " starting at " + starts.get(0) + " (locks in " + dir
        + "; other test runs hold the rest, or other programs listen there)");
  }

  private static FileLock tryLock(Path file) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      openToAll(file);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        close(channel);
      }
      return lock;
    } catch (IOException | OverlappingFileLockException e) {
      if (channel != null) {
        close(channel);
      }
      return null; // another user's file we may not write, or this JVM's own lock
    }
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing drops the lock anyway
    }
  }

  /** Lets every user's test runs share the dir and files (like /tmp); fails quietly on others' files. */
  private static void openToAll(Path path) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
          Files.isDirectory(path) ? "rwxrwxrwx" : "rw-rw-rw-"));
    } catch (IOException | UnsupportedOperationException e) {
      // another user's (opened by them already), or not POSIX
    }
  }

  static boolean allFree(int first, int n) {
    for (int port = first; port < first + n; port++) {
      if (!isFree(port)) {
        return false;
      }
    }
    return true;
  }

  /** True if {@code port} can be bound on 127.0.0.1 and, where it exists, ::1. */
  static boolean isFree(int port) {
    for (String host : new String[] {"127.0.0.1", "::1"}) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      } catch (IOException e) {
        if (host.equals("::1") && !(e instanceof BindException)) {
          continue; // no IPv6 loopback on this machine
        }
        return false;
      }
    }
    return true;
  }
}
