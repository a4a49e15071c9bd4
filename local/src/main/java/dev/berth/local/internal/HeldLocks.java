package dev.berth.local.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lifetime locks this JVM holds. On Linux a file lock belongs to the process, and closing
 * <em>any</em> channel on the file drops it: peeking at a lock this JVM holds through a second
 * channel, then closing that channel, would silently free the dir for a second registry. So a
 * lock held here is answered from this set, never by opening the file again. Thread-safe.
 */
public final class HeldLocks {

  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private HeldLocks() {}

  /** Marks {@code file} as about to be locked by this JVM; false if it already is. */
  public static boolean claim(Path file) {
    return HELD.add(key(file));
  }

  /** After the lock on {@code file} is released, or was never taken. */
  public static void release(Path file) {
    HELD.remove(key(file));
  }

  public static boolean isHeld(Path file) {
    return HELD.contains(key(file));
  }

  /**
   * Whether anyone holds the lock on {@code file}: this JVM (answered from the set, never by
   * opening the file) or another process (a {@code tryLock} that is released at once).
   * A missing file is not locked.
   */
  public static boolean isLocked(Path file) {
    if (isHeld(file)) {
      return true; // opening the file again would drop this JVM's lock
    }
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // a lock in this JVM that the set does not know of
    } catch (IOException e) {
      return false;
    }
  }

  /** The dir's real path: the same dir named through a symlink is the same lock. */
  private static Path key(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    try {
      return absolute.getParent().toRealPath().resolve(absolute.getFileName());
    } catch (IOException | RuntimeException e) {
      return absolute; // no such dir yet: nothing can be locked in it either
    }
  }
}
