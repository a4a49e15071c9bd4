package dev.berth.registry.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ESTABLISHED rows of {@code net/tcp} and {@code net/tcp6} on one local port, for
 * {@link ProcSockets#connectedSockets}: kept apart so that the LISTEN readers stay small. Reads
 * both tables whole (the established part of the kernel's hash is exactly what must be walked),
 * and only for the {@code debug} endpoint, once per look. Stateless; whatever cannot be read
 * answers empty.
 */
final class ConnectedRows {

  private static final String ESTABLISHED = "01";

  private ConnectedRows() {}

  static List<ProcessSockets.Listener> read(Path proc, int localPort) {
    List<ProcessSockets.Listener> out = new ArrayList<>();
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
        if (f.length > 9 && f[3].equals(ESTABLISHED)) {
          ProcessSockets.Listener l = ProcSockets.parse(f, localPort);
          if (l != null) {
            out.add(l);
          }
        }
      }
    }
    return out;
  }
}
