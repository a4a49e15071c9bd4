package dev.berth.registry.internal;

import dev.berth.local.StateDir;
import dev.berth.local.internal.HeldLocks;
import dev.berth.local.internal.Modes;
import dev.berth.local.internal.UnreadableFiles;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * One registry per state dir: an exclusive lock on {@code registry.pid.lock} held for the
 * registry's whole life. Two registries on one dir would split the clients between them and
 * overwrite each other's {@code berths.json} and {@code registry.json}. The kernel drops the
 * lock when the process dies, {@code kill -9} included, so a crashed registry never blocks the
 * next one. Thread-safe; {@link #close} is idempotent.
 */
final class StateDirLock implements AutoCloseable {
  static final String FILE = StateDir.LIFETIME_LOCK;
  // clients peek at the lock (StateDir.registryRunning) and hold it for microseconds
  private static final int ATTEMPTS = 20;
  private static final long PAUSE_MILLIS = 10;

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean closed; // guarded by this

  private StateDirLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock, or fails naming the registry that holds it. The file is created with mode
   * 0600; a directory in its place is moved aside.
   */
  static StateDirLock acquire(StateFiles files) throws IOException {
    Path file = files.dir().resolve(FILE);
    // a registry in this JVM holds it: opening the file again, even to fail, and closing it
    // would drop that registry's lock (Linux file locks belong to the process)
    if (!HeldLocks.claim(file)) {
      throw held(files);
    }
    try {
      return lock(files, file);
    } catch (IOException | RuntimeException | Error e) {
      HeldLocks.release(file);
      throw e;
    }
  }

  private static StateDirLock lock(StateFiles files, Path file) throws IOException {
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      UnreadableFiles.moveAside(file, "a directory", files.clock());
    }
    FileChannel channel = open(file);
    FileLock lock = null;
    try {
      for (int attempt = 0; lock == null && attempt < ATTEMPTS; attempt++) {
        if (attempt > 0) {
          Thread.sleep(PAUSE_MILLIS);
        }
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          break; // held by another registry in this JVM
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.close();
      throw new InterruptedIOException("interrupted while taking " + file);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw held(files);
    }
    return new StateDirLock(file, channel, lock);
  }

  private static IOException held(StateFiles files) {
    return new IOException("state dir " + files.dir() + " already has a running registry"
        + describe(files) + " (expected: one registry per state dir; stop it with 'berth registry stop',"
        + " or pick another dir with --home)");
  }

  private static FileChannel open(Path file) throws IOException {
    try {
      return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
          Modes.ownerOnlyFile());
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
  }

  private static String describe(StateFiles files) {
    try {
      return StateDir.of(files.dir()).readRegistryInfo()
          .map(info -> " (pid " + info.getPid() + " at " + info.getAddress() + ")")
          .orElse(""); // it is still starting, or its file is gone: the dir is all we can name
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      // closing the channel releases the lock anyway
    } finally {
      HeldLocks.release(file);
    }
  }
}
