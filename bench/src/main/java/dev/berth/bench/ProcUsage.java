package dev.berth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a process has used, from {@code /proc}: CPU time in clock ticks (user + system, all its
 * threads, {@code /proc/PID/stat}) and resident memory ({@code VmRSS} of {@code /proc/PID/status}).
 * Idle CPU is the difference of two readings, and a cost per supervised process the slope
 * between two sizes ({@link #perProcess}).
 *
 * @param ticks utime + stime, in {@code CLK_TCK}ths of a second
 * @param rssBytes resident set size
 */
record ProcUsage(long ticks, long rssBytes) {

  /** {@code CLK_TCK}: 100 on every Linux this runs on (USER_HZ is fixed in the kernel's ABI). */
  static final int TICKS_PER_SECOND = 100;

  static ProcUsage of(long pid) throws IOException {
    Path proc = Path.of("/proc", Long.toString(pid));
    return new ProcUsage(ticks(Files.readString(proc.resolve("stat"))),
        rssBytes(Files.readAllLines(proc.resolve("status"))));
  }

  /**
   * utime + stime of a {@code /proc/PID/stat} line. The command name (field 2) is in parentheses
   * and may hold spaces and parentheses itself, so fields are counted from its last ')'.
   */
  static long ticks(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("stat: " + stat + " (expected: PID (COMM) STATE ...)");
    }
    // after ") ": field 3 (state) is index 0, so utime (field 14) is 11 and stime (15) is 12
    String[] fields = stat.substring(close + 2).trim().split(" +");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /** {@code VmRSS:  123456 kB} of {@code /proc/PID/status}, in bytes. */
  static long rssBytes(List<String> status) throws IOException {
    for (String line : status) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS line in /proc/PID/status");
  }

  /** CPU milliseconds per second of wall time between {@code before} and this reading. */
  double cpuMillisPerSecond(ProcUsage before, double seconds) {
    return (ticks - before.ticks) * 1000.0 / TICKS_PER_SECOND / seconds;
  }

  /** What one more process costs: the slope of {@code x} from {@code n1} to {@code n2} processes. */
  static double perProcess(int n1, double x1, int n2, double x2) {
    if (n2 <= n1) {
      throw new IllegalArgumentException("n2: " + n2 + " (expected: > n1 = " + n1 + ")");
    }
    return (x2 - x1) / (n2 - n1);
  }

  static String mib(double bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
