package dev.berth.registry.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The span of ports the registry hands out as berths. Immutable; thread-safe.
 *
 * <p>By default it lies outside the OS's ephemeral range so that outgoing connections (which
 * the kernel gives ephemeral local ports) never occupy a berth.
 */
public record PortPool(int first, int last) {

  /** Where Linux keeps its ephemeral port range ("32768\t60999"). */
  public static final Path LINUX_EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  // IANA's dynamic range, which is what macOS and Windows use, for when /proc is absent
  private static final int IANA_EPHEMERAL_FIRST = 49152;
  private static final int IANA_EPHEMERAL_LAST = 65535;
  private static final int MIN_UNPRIVILEGED = 1024;
  private static final int MAX_PORT = 65535;
  private static final int MIN_USEFUL_SPAN_ABOVE = 1000;

  /** The ports {@code first..last}, both included. */
  public PortPool {
    if (first < 1 || last > MAX_PORT || first > last) {
      throw new IllegalArgumentException(
          String.format("ports: %d-%d (expected: 1 <= first <= last <= 65535)", first, last));
    }
  }

  /** The ports {@code first..last}, both included. */
  public static PortPool of(int first, int last) {
    return new PortPool(first, last);
  }

  /** The default pool, derived from {@code rangeFile} (the Linux file), or IANA's range if unreadable. */
  public static PortPool outsideEphemeral(Path rangeFile) {
    // not Linux, or an odd kernel: fall back to IANA's range
    PortPool ephemeral = ephemeralRange(rangeFile)
        .orElse(new PortPool(IANA_EPHEMERAL_FIRST, IANA_EPHEMERAL_LAST));
    return outsideEphemeral(ephemeral.first(), ephemeral.last());
  }

  /**
   * The kernel's ephemeral range as {@code rangeFile} (the Linux file, "32768\t60999") gives
   * it; empty when it cannot be read or makes no sense. Also for {@code berth doctor}.
   */
  public static Optional<PortPool> ephemeralRange(Path rangeFile) {
    try {
      // not Files.readString: it trusts the size sysctl files report and returns one byte
      String[] parts = String.join(" ", Files.readAllLines(rangeFile, StandardCharsets.US_ASCII))
          .trim().split("\\s+");
      if (parts.length == 2) {
        return Optional.of(new PortPool(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
      }
    } catch (IOException | IllegalArgumentException e) {
      // NumberFormatException, or a range PortPool refuses
    }
    return Optional.empty();
  }

  /** The ports both pools hold, if any. */
  public Optional<PortPool> overlap(PortPool other) {
    int from = Math.max(first, other.first);
    int to = Math.min(last, other.last);
    return from <= to ? Optional.of(new PortPool(from, to)) : Optional.empty();
  }

  /**
   * The pool for an ephemeral range of {@code ephFirst..ephLast}.
   *
   * <p>The span above the ephemeral range is preferred whenever it has room for a useful number
   * of services (1000): below the ephemeral range lie 3000, 5432, 8080 and the other ports
   * where developers run their own servers by hand, and a berth there would collide with them
   * every day. Only when the span above is too small (IANA's 49152-65535 leaves none) do we
   * take the largest span of 1024-65535 outside the ephemeral range.
   */
  static PortPool outsideEphemeral(int ephFirst, int ephLast) {
    int aboveFirst = Math.max(ephLast + 1, MIN_UNPRIVILEGED);
    int aboveSize = Math.max(0, MAX_PORT - aboveFirst + 1);
    if (aboveSize >= MIN_USEFUL_SPAN_ABOVE) {
      return new PortPool(aboveFirst, MAX_PORT);
    }
    int belowLast = Math.min(ephFirst - 1, MAX_PORT);
    int belowSize = Math.max(0, belowLast - MIN_UNPRIVILEGED + 1);
    if (belowSize == 0 && aboveSize == 0) {
      // the ephemeral range covers everything: nothing is safe, so at least be usable
      return new PortPool(MIN_UNPRIVILEGED, MAX_PORT);
    }
    return belowSize >= aboveSize
        ? new PortPool(MIN_UNPRIVILEGED, belowLast)
        : new PortPool(aboveFirst, MAX_PORT);
  }

  public int size() {
    return last - first + 1;
  }

  boolean contains(int port) {
    return port >= first && port <= last;
  }

  IntStream ports() {
    return IntStream.rangeClosed(first, last);
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
