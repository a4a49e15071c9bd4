package dev.berth.local.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Owners and modes of files, and who the current user is. On a file system without POSIX
 * attributes every answer is "unknown" and nothing is refused. Thread-safe (stateless).
 */
public final class Modes {

  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> GROUP_OR_OTHERS_WRITE =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private Modes() {}

  /** The owner and mode of a file or dir (links followed). */
  public record Facts(int uid, String ownerName, Set<PosixFilePermission> permissions) {
    /** {@code 0755}. */
    public String octal() {
      int mode = 0;
      for (PosixFilePermission p : permissions) {
        mode |= 1 << (8 - p.ordinal());
      }
      return String.format("%04o", mode);
    }

    // loops, not streams: the CLI's fast path checks the state dir in a cold JVM, where the
    // first lambda costs more than the whole check
    public boolean writableByGroupOrOthers() {
      for (PosixFilePermission p : permissions) {
        if (GROUP_OR_OTHERS_WRITE.contains(p)) {
          return true;
        }
      }
      return false;
    }

    /** Any bit for group or others (read, write or execute). */
    public boolean openToGroupOrOthers() {
      for (PosixFilePermission p : permissions) {
        if (p.ordinal() >= PosixFilePermission.GROUP_READ.ordinal()) {
          return true;
        }
      }
      return false;
    }

    /** {@code root (uid 0)}. */
    public String owner() {
      return ownerName.equals(Integer.toString(uid)) ? "uid " + uid : ownerName + " (uid " + uid + ")";
    }
  }

  /** The facts of {@code path}, or empty when the file system has no POSIX attributes. */
  public static Optional<Facts> of(Path path) throws IOException {
    PosixFileAttributes attrs;
    int uid;
    try {
      attrs = Files.readAttributes(path, PosixFileAttributes.class);
      uid = (Integer) Files.getAttribute(path, "unix:uid");
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(new Facts(uid, attrs.owner().getName(), attrs.permissions()));
  }

  /**
   * The uid of this process: the owner of {@code /proc/self} on Linux, else of a file this
   * process creates (what the kernel says, not {@code user.name}, which anyone can set).
   */
  public static int currentUid() throws IOException {
    return CurrentUid.VALUE.get();
  }

  /** Creation attribute: {@code rw-------}. */
  public static FileAttribute<Set<PosixFilePermission>> ownerOnlyFile() {
    return PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE);
  }

  /** Creation attribute: {@code rwx------}. */
  public static FileAttribute<Set<PosixFilePermission>> ownerOnlyDir() {
    return PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR);
  }

  public static void chmodOwnerOnlyDir(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
  }

  public static void chmodOwnerOnlyFile(Path file) throws IOException {
    Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
  }

  /** Computed once: a process does not change its uid. */
  private static final class CurrentUid {
    static final Lazy VALUE = new Lazy();
  }

  private static final class Lazy {
    private Integer uid; // guarded by this

    synchronized int get() throws IOException {
      if (uid == null) {
        uid = find();
      }
      return uid;
    }

    private static int find() throws IOException {
      Path self = Path.of("/proc/self");
      if (Files.isDirectory(self)) {
        try {
          return (Integer) Files.getAttribute(self, "unix:uid");
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
          // fall back below
        }
      }
      Path probe = Files.createTempFile("berth-uid", ".tmp");
      try {
        return (Integer) Files.getAttribute(probe, "unix:uid");
      } finally {
        Files.deleteIfExists(probe);
      }
    }
  }
}
