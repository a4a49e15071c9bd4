package dev.berth.registry.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Finds the process listening on a TCP port from {@code /proc}: the LISTEN rows of
 * {@code /proc/net/tcp} and {@code tcp6} give the socket's inode, and the process whose
 * {@code /proc/PID/fd} links to {@code socket:[inode]} holds it. Thread-safe (stateless).
 *
 * <p>What cannot be read (another user's process, a system without {@code /proc}) gives
 * pid 0 and an empty command line, never an error: this only ever feeds messages and logs.
 */
final class PortHolders {

  private static final String LISTEN = "0A";

  private final Path proc;

  PortHolders(Path proc) {
    this.proc = proc;
  }

  static PortHolders system() {
    return new PortHolders(Path.of("/proc"));
  }

  /** A process holding a port; {@code pid} 0 when the socket was found but not its owner. */
  record Holder(long pid, String commandLine) {
    /** For messages: {@code pid 4242 (java -jar orders.jar)}. */
    String describe() {
      if (pid == 0) {
        return "a process that cannot be identified (another user's?)";
      }
      return commandLine.isEmpty() ? "pid " + pid : "pid " + pid + " (" + commandLine + ")";
    }
  }

  /** Whether {@code /proc/net/tcp} can be read at all, i.e. whether {@link #find} can answer. */
  boolean available() {
    return Files.isReadable(proc.resolve("net/tcp"));
  }

  /** The holder of a listening socket on {@code port}, or empty when nothing listens on it. */
  Optional<Holder> find(int port) {
    OptionalLong inode = listeningInode(port);
    if (inode.isEmpty()) {
      return Optional.empty();
    }
    String link = "socket:[" + inode.getAsLong() + "]";
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, PortHolders::isPidDir)) {
      for (Path pidDir : pids) {
        if (holdsSocket(pidDir, link)) {
          long pid = Long.parseLong(pidDir.getFileName().toString());
          return Optional.of(new Holder(pid, commandLine(pidDir)));
        }
      }
    } catch (IOException | RuntimeException e) {
      // /proc vanished or is odd: fall through to "found, owner unknown"
    }
    return Optional.of(new Holder(0, ""));
  }

  /** The command line of {@code pid}, arguments joined by spaces; empty when unreadable. */
  String commandLine(long pid) {
    return commandLine(proc.resolve(Long.toString(pid)));
  }

  private OptionalLong listeningInode(int port) {
    String hexPort = String.format(":%04X", port);
    for (String table : List.of("net/tcp", "net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(proc.resolve(table), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        continue; // no IPv6, or no /proc
      }
      // "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ..."
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[3].equals(LISTEN) && f[1].endsWith(hexPort)) {
          try {
            long inode = Long.parseLong(f[9]);
            if (inode != 0) {
              return OptionalLong.of(inode);
            }
          } catch (NumberFormatException e) {
            // a row we do not understand: keep looking
          }
        }
      }
    }
    return OptionalLong.empty();
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

  private static String commandLine(Path pidDir) {
    try {
      byte[] raw = Files.readAllBytes(pidDir.resolve("cmdline"));
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
    } catch (IOException e) {
      return "";
    }
  }
}
