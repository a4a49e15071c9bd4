package dev.berth.registry.internal;

/**
 * Reads the two fields {@link ProcSockets#firstListener} looks at in a {@code /proc/net/tcp}
 * row ({@code "  12: 0100007F:1F90 00000000:0000 0A ..."}) without splitting the row: with
 * hundreds of listeners in the table, only the rows on the port asked for are worth splitting.
 * Stateless.
 */
final class RowFields {

  private RowFields() {}

  /** The hex state of the row (field 3; 0x0A is LISTEN), or -1 when the row is not understood. */
  static int state(CharSequence row) {
    int start = fieldStart(row, 3);
    return start < 0 ? -1 : hex(row, start, fieldEnd(row, start));
  }

  /** The local port (after the last ':' of field 1), or -1 when the row is not understood. */
  static int localPort(CharSequence row) {
    int start = fieldStart(row, 1);
    if (start < 0) {
      return -1;
    }
    int end = fieldEnd(row, start);
    for (int i = end - 1; i > start; i--) {
      if (row.charAt(i) == ':') {
        return hex(row, i + 1, end);
      }
    }
    return -1;
  }

  /** Where field {@code index} (0-based, separated by spaces) starts, or -1. */
  private static int fieldStart(CharSequence row, int index) {
    int i = 0;
    int n = row.length();
    for (int field = 0; ; field++) {
      while (i < n && row.charAt(i) == ' ') {
        i++;
      }
      if (i == n) {
        return -1;
      }
      if (field == index) {
        return i;
      }
      i = fieldEnd(row, i);
    }
  }

  private static int fieldEnd(CharSequence row, int start) {
    int i = start;
    while (i < row.length() && row.charAt(i) != ' ') {
      i++;
    }
    return i;
  }

  /** The hex number in {@code [start, end)}, or -1 when empty, too long or not hex. */
  private static int hex(CharSequence row, int start, int end) {
    if (end <= start || end - start > 7) {
      return -1;
    }
    int value = 0;
    for (int i = start; i < end; i++) {
      int digit = Character.digit(row.charAt(i), 16);
      if (digit < 0) {
        return -1;
      }
      value = value * 16 + digit;
    }
    return value;
  }
}
