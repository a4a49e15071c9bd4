package dev.berth.registry.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@link ProcessSockets} from a Linux {@code /proc}: the LISTEN rows of {@code net/tcp} and
 * {@code net/tcp6}, and {@code PID/fd} links of the form {@code socket:[inode]}. Thread-safe
 * (the last LISTEN rows of each table are kept, immutable, for {@link #recentListeners}).
 * Whatever cannot be read answers empty, never an error.
 */
final class ProcSockets implements ProcessSockets {

  private static final String LISTEN = "0A";
  private static final String SOCKET_PREFIX = "socket:[";

  // reading a table walks the kernel's whole TCP hash, however few sockets there are:
  // milliseconds each on a machine with much memory
  private static final long RECENT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  // firstListener's reads: less than one row, so the kernel shows one row per read and steps
  // once past it. A read that reaches past the last LISTEN row makes the kernel walk the
  // established connections' hash until the read is full, so reads stay this small for the
  // first SMALL_READS rows (the few listeners a laptop has), then double with each read, up to
  // a page: fewer reads for a table of many listeners, which comes with many connections that
  // fill an overshooting read fast
  private static final int FIRST_READ_BYTES = 128;
  private static final int MAX_READ_BYTES = 4096;
  private static final int SMALL_READS = 8;
  // IPv6 first: a Java server on 127.0.0.1 or [::] is an IPv6 socket
  private static final List<String> TABLES = List.of("net/tcp6", "net/tcp");

  private final Path proc;
  private final Map<String, Rows> recent = new ConcurrentHashMap<>();

  ProcSockets(Path proc) {
    this.proc = proc;
  }

  @Override
  public boolean available() {
    return Files.isReadable(proc.resolve("net/tcp"));
  }

  @Override
  public List<Listener> listeners(int port) {
    return find(port, 0);
  }

  @Override
  public List<Listener> recentListeners(int port) {
    return find(port, RECENT_NANOS);
  }

  private List<Listener> find(int port, long maxAgeNanos) {
    List<Listener> out = new ArrayList<>();
    collect(listenRows("net/tcp", maxAgeNanos), port, out);
    collect(listenRows("net/tcp6", maxAgeNanos), port, out);
    return out;
  }

  /**
   * Reads each table only as far as it must, in small reads (see {@link #FIRST_READ_BYTES}): the kernel produces
   * {@code /proc/net/tcp} row by row as it walks its hash tables, LISTEN sockets first, so a
   * read that stops early never makes it walk the established connections' table, the part
   * that costs milliseconds. A table is left at its first row that is not LISTEN: the listening
   * sockets are all behind. Rows read are the kernel's, so what this finds is true; finding
   * nothing proves nothing (a socket leaving LISTEN mid-read ends the section early), and
   * callers then ask {@link #listeners(int)}.
   */
  @Override
  public Optional<Listener> firstListener(int port, Predicate<Listener> wanted) {
    for (String table : TABLES) {
      Optional<Listener> found = firstInTable(table, port, wanted);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private Optional<Listener> firstInTable(String table, int port, Predicate<Listener> wanted) {
    try (FileChannel in = FileChannel.open(proc.resolve(table))) {
      ByteBuffer buffer = ByteBuffer.allocate(MAX_READ_BYTES);
      StringBuilder line = new StringBuilder(192);
      boolean header = true;
      int readBytes = FIRST_READ_BYTES;
      for (int reads = 1; ; reads++) {
        buffer.clear().limit(readBytes);
        int n = in.read(buffer);
        if (n < 0) {
          return Optional.empty();
        }
        if (reads >= SMALL_READS) {
          readBytes = Math.min(MAX_READ_BYTES, readBytes * 2);
        }
        for (int i = 0; i < n; i++) {
          char c = (char) (buffer.get(i) & 0xff);
          if (c != '\n') {
            line.append(c);
            continue;
          }
          if (header) {
            header = false;
          } else {
            int state = RowFields.state(line);
            if (state != 0x0A) {
              return Optional.empty(); // past the listening sockets
            }
            // most rows are other ports: split only the one on ours
            if (RowFields.localPort(line) == port) {
              Listener l = parse(line.toString().trim().split("\\s+"), port);
              if (l != null && wanted.test(l)) {
                return Optional.of(l);
              }
            }
          }
          line.setLength(0);
        }
      }
    } catch (IOException e) {
      return Optional.empty(); // no IPv6, or no /proc
    }
  }

  private static void collect(List<String[]> rows, int port, List<Listener> out) {
    for (String[] f : rows) {
      Listener l = parse(f, port);
      if (l != null) {
        out.add(l);
      }
    }
  }

  /** The LISTEN rows of {@code table}: read now, or kept from a read at most {@code maxAgeNanos} ago. */
  private List<String[]> listenRows(String table, long maxAgeNanos) {
    long now = System.nanoTime();
    Rows kept = recent.get(table);
    if (maxAgeNanos > 0 && kept != null && now - kept.readNanos() <= maxAgeNanos) {
      return kept.rows();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(proc.resolve(table), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return List.of(); // no IPv6, or no /proc
    }
    List<String[]> rows = new ArrayList<>();
    // "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ..."
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 9 && f[3].equals(LISTEN)) {
        rows.add(f);
      }
    }
    List<String[]> immutable = List.copyOf(rows);
    recent.put(table, new Rows(now, immutable));
    return immutable;
  }

  private record Rows(long readNanos, List<String[]> rows) {}

  /** One LISTEN row, whatever its port, or null (a row we do not understand). */
  static Listener parse(String[] f) {
    int colon = f[1].indexOf(':');
    if (colon < 0) {
      return null;
    }
    try {
      return parse(f, Integer.parseInt(f[1].substring(colon + 1), 16));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** One LISTEN row on {@code port}, or null (another port, a row we do not understand). */
  static Listener parse(String[] f, int port) {
    int colon = f[1].indexOf(':');
    if (colon < 0) {
      return null;
    }
    try {
      if (Integer.parseInt(f[1].substring(colon + 1), 16) != port) {
        return null;
      }
      long inode = Long.parseLong(f[9]);
      if (inode == 0) {
        return null;
      }
      return new Listener(address(f[1].substring(0, colon)), port, Integer.parseInt(f[7]), inode);
    } catch (NumberFormatException | UnknownHostException e) {
      return null;
    }
  }

  /**
   * Decodes the kernel's hex address: IPv4 is one 32-bit word, IPv6 four, each printed in host
   * byte order (little-endian on x86 and arm64), so the bytes of every word are reversed.
   */
  static InetAddress address(String hex) throws UnknownHostException {
    if (hex.length() != 8 && hex.length() != 32) {
      throw new UnknownHostException("address: '" + hex + "' (expected: 8 or 32 hex digits)");
    }
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + 3 - i) * 2; // byte i of the word is printed last-first
        bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes);
  }

  @Override
  public Set<Long> socketInodes(long pid) {
    Set<Long> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve(pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          String link = Files.readSymbolicLink(fd).toString();
          if (link.startsWith(SOCKET_PREFIX) && link.endsWith("]")) {
            inodes.add(Long.parseLong(link.substring(SOCKET_PREFIX.length(), link.length() - 1)));
          }
        } catch (IOException | NumberFormatException e) {
          // the fd closed while we looked
        }
      }
    } catch (IOException | RuntimeException e) {
      // another user's process, or it exited
    }
    return inodes;
  }

  /** Looks at the newest descriptors first: a server's listening socket is seldom its first fd. */
  @Override
  public boolean holds(long pid, long inode) {
    String link = SOCKET_PREFIX + inode + "]";
    List<Integer> fds = new ArrayList<>();
    Path dir = proc.resolve(pid + "/fd");
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path fd : entries) {
        fds.add(Integer.parseInt(fd.getFileName().toString()));
      }
    } catch (IOException | RuntimeException e) {
      return false; // another user's process, or it exited
    }
    fds.sort(null);
    for (int i = fds.size() - 1; i >= 0; i--) {
      try {
        if (link.equals(Files.readSymbolicLink(dir.resolve(fds.get(i).toString())).toString())) {
          return true;
        }
      } catch (IOException e) {
        // the fd closed while we looked
      }
    }
    return false;
  }

  @Override
  public OptionalLong ownerOf(long inode) {
    String link = SOCKET_PREFIX + inode + "]";
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, ProcSockets::isPidDir)) {
      for (Path pidDir : pids) {
        if (holdsSocket(pidDir, link)) {
          return OptionalLong.of(Long.parseLong(pidDir.getFileName().toString()));
        }
      }
    } catch (IOException | RuntimeException e) {
      // /proc vanished or is odd: not found
    }
    return OptionalLong.empty();
  }

  @Override
  public String commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(proc.resolve(pid + "/cmdline"));
      // arguments are NUL-separated; any other control character (a newline in an argument)
      // is escaped so that `berth who` and the log stay one line per holder
      String line = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
      StringBuilder out = new StringBuilder(line.length());
      line.codePoints().forEach(c -> {
        if (Character.isISOControl(c)) {
          out.append(String.format("\\x%02x", c));
        } else {
          out.appendCodePoint(c);
        }
      });
      return out.toString();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  @Override
  public List<Listener> allListeners() {
    List<Listener> out = new ArrayList<>();
    for (String table : List.of("net/tcp", "net/tcp6")) {
      for (String[] f : listenRows(table, 0)) {
        Listener l = parse(f);
        if (l != null) {
          out.add(l);
        }
      }
    }
    return out;
  }

  @Override
  public List<Listener> connectedSockets(int localPort) {
    return ConnectedRows.read(proc, localPort);
  }

  @Override
  public Map<Long, Long> ownersOf(Set<Long> inodes) {
    Map<Long, Long> owners = new HashMap<>();
    if (inodes.isEmpty()) {
      return owners;
    }
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, ProcSockets::isPidDir)) {
      for (Path pidDir : pids) {
        long pid = Long.parseLong(pidDir.getFileName().toString());
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd"))) {
          for (Path fd : fds) {
            long inode = socketInode(fd);
            if (inode != 0 && inodes.contains(inode)) {
              owners.putIfAbsent(inode, pid);
            }
          }
        } catch (IOException | RuntimeException e) {
          // another user's process, or it exited
        }
        if (owners.size() == inodes.size()) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // /proc vanished or is odd: what was found so far
    }
    return owners;
  }

  /** The inode of a {@code socket:[N]} descriptor; 0 for anything else, or when it closed. */
  private static long socketInode(Path fd) {
    try {
      String link = Files.readSymbolicLink(fd).toString();
      if (link.startsWith(SOCKET_PREFIX) && link.endsWith("]")) {
        return Long.parseLong(link.substring(SOCKET_PREFIX.length(), link.length() - 1));
      }
    } catch (IOException | NumberFormatException e) {
      // the fd closed while we looked
    }
    return 0;
  }

  @Override
  public Map<String, String> environment(long pid) {
    try {
      byte[] raw = Files.readAllBytes(proc.resolve(pid + "/environ"));
      Map<String, String> env = new LinkedHashMap<>();
      for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
          env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
      return env;
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }

  private static boolean isPidDir(Path p) {
    String name = p.getFileName().toString();
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }

  private static boolean holdsSocket(Path pidDir, String link) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          if (link.equals(Files.readSymbolicLink(fd).toString())) {
            return true;
          }
        } catch (IOException e) {
          // the fd closed while we looked
        }
      }
    } catch (IOException | RuntimeException e) {
      // another user's process, or it exited
    }
    return false;
  }
}
