package dev.berth.local.internal;

import dev.berth.local.Internal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What {@code /proc/PID/stat} says of a process that {@link ProcessHandle} does not: its start
 * time in clock ticks since boot (field 22), which together with the pid names one process for
 * good (a pid is reused, a (pid, start ticks) pair is not), and its process group (field 5).
 * Empty where there is no {@code /proc} or no such process. Stateless.
 */
@Internal
public final class ProcStat {

  private static final Path PROC = Path.of("/proc");

  private ProcStat() {}

  /** Field 22 of {@code /proc/PID/stat}; empty when the process is gone or there is no /proc. */
  public static OptionalLong startTicks(long pid) {
    return field(pid, 22);
  }

  /** Field 5: the process group; a child started through {@code setsid} leads its own. */
  public static OptionalLong processGroup(long pid) {
    return field(pid, 5);
  }

  /**
   * True when {@code pid} runs and is the process that was recorded with {@code startTicks}
   * (0 where they were unknown: then only the pid can be compared, and a live pid is taken as
   * not the same, so that a reused pid is never signalled).
   */
  public static boolean sameProcess(long pid, long startTicks) {
    if (pid <= 0 || startTicks <= 0) {
      return false;
    }
    OptionalLong now = startTicks(pid);
    return now.isPresent() && now.getAsLong() == startTicks;
  }

  /**
   * {@link #sameProcess} and not a zombie (state Z: it has exited and waits for a parent to reap
   * it, which for a daemon reparented to an init that does not reap may be never).
   */
  public static boolean runs(long pid, long startTicks) {
    return sameProcess(pid, startTicks) && !rest(pid).map(r -> r[0].equals("Z")).orElse(true);
  }

  private static OptionalLong field(long pid, int field) {
    String[] rest = rest(pid).orElse(null);
    if (rest == null) {
      return OptionalLong.empty();
    }
    int index = field - 3; // rest[0] is field 3
    if (index < 0 || index >= rest.length) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(rest[index]));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The fields of {@code /proc/PID/stat} from field 3 (the state) on; empty when unreadable. */
  private static java.util.Optional<String[]> rest(long pid) {
    String stat;
    try {
      stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
    // the command name (field 2) is in parentheses and may hold spaces and ')': the fields
    // after it start at the last ')'
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(stat.substring(close + 1).trim().split(" +"));
  }
}
