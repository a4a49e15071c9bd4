package dev.berth.client.internal;

import dev.berth.local.StateDir;
import dev.berth.local.UnixSocketPaths;
import dev.berth.local.internal.Modes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Unix sockets Berth's gRPC servers also listen on: {@code <state dir>/sock/}, a directory
 * only its user can enter (0700), one socket per server at {@code SERVICE.ENDPOINT.N.sock}.
 *
 * <p>A slot {@code N} is taken by holding a lock on {@code SERVICE.ENDPOINT.N.sock.lock} for the
 * server's life (the kernel drops it when the process dies, {@code kill -9} included), so a
 * socket file whose lock nobody holds is stale and is replaced, and one whose lock is held is
 * never touched. A file is unlinked only while its lock is held, and only if it is a socket
 * (not a link, not a regular file) owned by this user in this user's own 0700 directory.
 * Restarts reuse the lowest free slot, so stale sockets do not pile up.
 *
 * <p>{@link #dialable} is the caller's side of the same rule: a {@code berth:} channel dials a
 * socket only if this user owns it and its directory, and the directory is closed to others.
 *
 * <p>Thread-safe: the slots this process holds are in one concurrent set (a second lock on a
 * file this JVM holds would not fail, and closing its file would drop the first).
 */
public final class UnixSocketDir {
  /** The directory's name in the state dir. */
  public static final String DIR = StateDir.SOCKETS;
  /** Slots tried per service and endpoint before serving TCP only. */
  static final int MAX_SLOTS = 64;

  private static final Logger logger = Logger.getLogger(UnixSocketDir.class.getName());
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFDIR = 0040000;
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private UnixSocketDir() {}

  /** A socket path held by this process: bind it, then {@link #close} when the server stopped. */
  public static final class Slot implements AutoCloseable {
    private final Path path;
    private final FileChannel lockFile;
    private final FileLock lock;
    private boolean closed; // guarded by this

    private Slot(Path path, FileChannel lockFile, FileLock lock) {
      this.path = path;
      this.lockFile = lockFile;
      this.lock = lock;
    }

    /** The socket's path (not bound yet when claimed). */
    public Path path() {
      return path;
    }

    /**
     * Unlinks the socket file (so callers go to TCP at once) and releases the slot.
     * Idempotent; call it after the server stopped listening, or before it starts if it failed.
     */
    @Override
    public synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        removeIfOurSocket(path);
      } catch (IOException e) {
        logger.log(Level.FINE, "berth: cannot remove " + path, e);
      } finally {
        try {
          lock.release();
          lockFile.close();
        } catch (IOException e) {
          logger.log(Level.FINE, "berth: cannot release " + path + ".lock", e);
        }
        HELD.remove(path);
      }
    }

    @Override
    public String toString() {
      return "unix:" + path;
    }
  }

  /**
   * Claims a socket path for {@code service}/{@code endpoint} in {@code stateDir}'s socket
   * directory (made 0700 if missing), replacing a stale socket of a dead server. Empty when the
   * directory is not this user's own, the path would be too long for a socket, or every slot is
   * held: the server then serves TCP only.
   */
  public static Optional<Slot> claim(Path stateDir, String service, String endpoint) {
    Path dir = stateDir.toAbsolutePath().normalize().resolve(DIR);
    try {
      if (!prepare(dir)) {
        return Optional.empty();
      }
      for (int n = 0; n < MAX_SLOTS; n++) {
        Path sock = dir.resolve(service + "." + endpoint + "." + n + ".sock");
        if (sock.toString().getBytes(StandardCharsets.UTF_8).length > UnixSocketPaths.MAX_BYTES) {
          logger.log(Level.FINE, "berth: {0} is too long for a Unix socket; serving TCP only", sock);
          return Optional.empty();
        }
        Optional<Slot> slot = tryClaim(sock);
        if (slot.isPresent()) {
          return slot;
        }
      }
      logger.log(Level.INFO, "berth: all {0} Unix socket slots of {1}/{2} in {3} are held; serving TCP only",
          new Object[] {MAX_SLOTS, service, endpoint, dir});
    } catch (IOException | RuntimeException e) {
      logger.log(Level.INFO, "berth: no Unix socket in " + dir + " (" + e + "); serving TCP only");
    }
    return Optional.empty();
  }

  /**
   * True if a {@code berth:} channel may dial {@code path}: a socket owned by this user, in a
   * directory owned by this user and closed to group and others (so nobody else could have
   * put it there), links not followed. Reads two inodes; never throws.
   */
  public static boolean dialable(Path path) {
    try {
      int me = Modes.currentUid();
      Path dir = path.getParent();
      return dir != null && isOwnPrivateDir(dir, me) && isOwnSocket(path, me);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static Optional<Slot> tryClaim(Path sock) throws IOException {
    if (!HELD.add(sock)) {
      return Optional.empty(); // a server of this process holds it
    }
    FileChannel file = null;
    try {
      Path lockPath = sock.resolveSibling(sock.getFileName() + ".lock");
      file = FileChannel.open(lockPath, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS), Modes.ownerOnlyFile());
      FileLock lock = file.tryLock();
      if (lock == null) {
        file.close();
        HELD.remove(sock);
        return Optional.empty(); // a live server of another process holds it
      }
      if (!removeIfOurSocket(sock) && exists(sock)) {
        // not a socket of ours (a file, a link, another user's): leave it, try the next slot
        lock.release();
        file.close();
        HELD.remove(sock);
        return Optional.empty();
      }
      return Optional.of(new Slot(sock, file, lock));
    } catch (IOException | RuntimeException e) {
      if (file != null) {
        file.close();
      }
      HELD.remove(sock);
      throw e;
    }
  }

  /** Creates {@code dir} 0700 if missing; true if it is this user's own, closed to others. */
  private static boolean prepare(Path dir) throws IOException {
    int me = Modes.currentUid();
    if (!exists(dir)) {
      try {
        Files.createDirectory(dir, Modes.ownerOnlyDir());
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // another process made it meanwhile: judged below like any other
      }
    }
    if (isOwnPrivateDir(dir, me)) {
      return true;
    }
    logger.log(Level.WARNING, "berth: {0} is not a directory of your own with mode 0700; "
        + "serving TCP only (fix: remove it, Berth makes it again)", dir);
    return false;
  }

  private static boolean isOwnPrivateDir(Path dir, int me) throws IOException {
    Map<String, Object> a = Files.readAttributes(dir, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) a.get("mode");
    return (mode & S_IFMT) == S_IFDIR && (Integer) a.get("uid") == me && (mode & 077) == 0;
  }

  private static boolean isOwnSocket(Path path, int me) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
    return ((Integer) a.get("mode") & S_IFMT) == S_IFSOCK && (Integer) a.get("uid") == me;
  }

  /** Unlinks {@code path} if it is a socket this user owns; true if it is gone (or was never there). */
  private static boolean removeIfOurSocket(Path path) throws IOException {
    try {
      if (!isOwnSocket(path, Modes.currentUid())) {
        return false;
      }
    } catch (NoSuchFileException e) {
      return true;
    }
    Files.deleteIfExists(path);
    return true;
  }

  private static boolean exists(Path path) {
    return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
  }
}
