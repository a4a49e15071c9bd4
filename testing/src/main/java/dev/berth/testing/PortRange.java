package dev.berth.testing;

/**
 * Consecutive ports {@code first..last} that belong to this test JVM alone; {@link #toString}
 * is {@code "first-last"}, the form of {@code --ports} and {@code BERTH_PORTS}.
 */
public record PortRange(int first, int last) {

  public PortRange {
    if (first < 1 || last > 65535 || first > last) {
      throw new IllegalArgumentException(
          String.format("range: %d-%d (expected: 1 <= first <= last <= 65535)", first, last));
    }
  }

  public int size() {
    return last - first + 1;
  }

  public boolean contains(int port) {
    return port >= first && port <= last;
  }

  @Override
  public String toString() {
    return first + "-" + last;
  }
}
