package dev.berth.registry.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening Unix domain sockets bound at a path, from Linux's {@code /proc/net/unix}: the
 * socket inodes that {@code /proc/PID/fd} links name. Thread-safe (stateless); what cannot be
 * read answers empty, and {@link #available()} says whether the table can be read at all.
 */
final class UnixListeners {

  // __SO_ACCEPTCON in the Flags column: the socket listens (listen(2) was called on it)
  private static final int ACCEPTING = 0x10000;

  private final Path proc;

  UnixListeners(Path proc) {
    this.proc = proc;
  }

  boolean available() {
    return Files.isReadable(proc.resolve("net/unix"));
  }

  /**
   * The inodes of the listening sockets bound at {@code path}. More than one when a listener
   * was unlinked and another bound at the same path while the first still lives.
   */
  List<Long> inodes(String path) {
    List<String> lines;
    try {
      lines = Files.readAllLines(proc.resolve("net/unix"), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    List<Long> out = new ArrayList<>();
    // "Num RefCount Protocol Flags Type St Inode Path"; the path may hold spaces
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      String[] f = line.trim().split("\\s+", 8);
      if (f.length == 8 && f[7].equals(path)) {
        try {
          if ((Integer.parseInt(f[3], 16) & ACCEPTING) != 0) {
            out.add(Long.parseLong(f[6]));
          }
        } catch (NumberFormatException e) {
          // a row we do not understand
        }
      }
    }
    return out;
  }
}
