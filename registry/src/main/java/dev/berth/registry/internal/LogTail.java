package dev.berth.registry.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The last lines of a log file, read backwards from its end in small chunks and never more
 * than a bound: a stack's service log may hold 4 MiB, and the dashboard asks once a second.
 *
 * <pre>{@code
 * List<String> lines = LogTail.last(logs.resolve("orders.log"), 20, LogTail.MAX_BYTES);
 * }</pre>
 *
 * <p>A line longer than what is left of the bound is kept from its end, marked with a leading
 * {@value #CUT}; lines of one file are whole otherwise. Stateless.
 */
final class LogTail {

  /** The most bytes read from one file for one tail. */
  static final int MAX_BYTES = 64 * 1024;
  /** Marks a line whose start was beyond the bound. */
  static final String CUT = "…";
  private static final int CHUNK = 8 * 1024;

  private LogTail() {}

  /**
   * The last {@code count} lines of {@code file} (without terminators, oldest first), reading at
   * most {@code maxBytes} from its end; empty when there is no such file.
   */
  static List<String> last(Path file, int count, int maxBytes) throws IOException {
    return read(file, count, maxBytes).lines;
  }

  /**
   * The last {@code count} lines of a rotated log: {@code file}'s, after the newest lines of
   * {@code older} (the file it was before its last rotation) when {@code file} was read whole and
   * holds fewer; at most {@code maxBytes} from each.
   */
  static List<String> last(Path file, Path older, int count, int maxBytes) throws IOException {
    Tail tail = read(file, count, maxBytes);
    if (!tail.whole || tail.lines.size() >= count) {
      return tail.lines;
    }
    List<String> lines = new ArrayList<>(read(older, count - tail.lines.size(), maxBytes).lines);
    lines.addAll(tail.lines);
    return List.copyOf(lines);
  }

  /** Lines, and whether they reach the file's start (nothing older in it was left out). */
  private record Tail(List<String> lines, boolean whole) {}

  private static Tail read(Path file, int count, int maxBytes) throws IOException {
    if (count <= 0) {
      return new Tail(List.of(), false);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long from = size;
      byte[] tail = new byte[0];
      // count newlines besides the last byte's (which ends the newest line): the one before the
      // oldest line wanted is the count-th
      while (from > 0 && size - from < maxBytes && newlines(tail) < count) {
        int n = (int) Math.min(CHUNK, Math.min(from, maxBytes - (size - from)));
        ByteBuffer chunk = ByteBuffer.allocate(n);
        while (chunk.hasRemaining()) {
          if (channel.read(chunk, from - n + chunk.position()) < 0) {
            // shorter than it was (LogFiles never truncates, it renames): what was read stands
            return new Tail(lines(tail, false, count), false);
          }
        }
        from -= n;
        tail = concat(chunk.array(), n, tail);
      }
      return new Tail(lines(tail, from == 0, count), from == 0);
    } catch (NoSuchFileException e) {
      return new Tail(List.of(), true);
    }
  }

  /** The newest {@code count} lines of {@code tail}; its first line is whole only if {@code fromStart}. */
  private static List<String> lines(byte[] tail, boolean fromStart, int count) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < tail.length; i++) {
      if (tail[i] == '\n') {
        lines.add(text(tail, start, i));
        start = i + 1;
      }
    }
    if (start < tail.length) {
      lines.add(text(tail, start, tail.length)); // a last line without its newline yet
    }
    if (!fromStart && !lines.isEmpty()) {
      // its start lies before what was read: dropped, or kept cut when nothing else fits
      String first = lines.remove(0);
      if (lines.size() < count) {
        lines.add(0, CUT + first);
      }
    }
    return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  private static String text(byte[] bytes, int from, int to) {
    int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
    return new String(bytes, from, end - from, StandardCharsets.UTF_8);
  }

  /** Newlines in {@code bytes} other than a last byte's (which ends the newest line). */
  private static int newlines(byte[] bytes) {
    int n = 0;
    for (int i = 0; i < bytes.length - 1; i++) {
      if (bytes[i] == '\n') {
        n++;
      }
    }
    return n;
  }

  private static byte[] concat(byte[] head, int headLength, byte[] tail) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(headLength + tail.length);
    out.write(head, 0, headLength);
    out.write(tail, 0, tail.length);
    return out.toByteArray();
  }
}
