package dev.berth.cli.internal.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads what {@link LogFiles} wrote, for {@code berth logs}: one service's records or every
 * service's merged by time, from an instant on, and with {@link #follow} the records written
 * after, across rotations.
 *
 * <p>Following polls the files (every {@code poll}): a log grows by whole lines, a reader a few
 * hundred milliseconds behind is what {@code tail -F} gives too, and a poll sees a rotation
 * (the file it had open moved to {@code .log.1}, which it reads to the end first) without the
 * corner cases of a {@code WatchService} on a renamed file.
 *
 * <p>Not thread-safe: one reader per {@code berth logs}, on its calling thread.
 */
public final class LogReader {

  private static final int CHUNK = 64 * 1024;
  private static final Comparator<LogRecord> BY_TIME = Comparator.comparing(LogRecord::time);

  private final Path dir;
  private final Optional<String> service;
  private final Optional<Instant> since;
  /** Service → the file being read, in the order they were found. */
  private final Map<String, Tail> tails = new LinkedHashMap<>();

  private LogReader(Path dir, Optional<String> service, Optional<Instant> since) {
    this.dir = dir;
    this.service = service;
    this.since = since;
  }

  /** A reader of {@code dir} (a stack's logs dir), for {@code service} or every one, from {@code since} on. */
  public static LogReader of(Path dir, Optional<String> service, Optional<Instant> since) {
    return new LogReader(dir, service, since);
  }

  /** The services that have a log in {@code dir}, sorted by name. */
  public static List<String> services(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(LogFiles.SUFFIX) && n.length() > LogFiles.SUFFIX.length())
          .map(n -> n.substring(0, n.length() - LogFiles.SUFFIX.length()))
          .sorted()
          .toList();
    }
  }

  /**
   * Every record written so far (the rotated file's, then the current one's), merged by time;
   * records of one instant keep their order in the file.
   */
  public List<LogRecord> read() throws IOException {
    List<LogRecord> records = new ArrayList<>();
    for (String name : wanted()) {
      readWhole(name, dir.resolve(name + LogFiles.ROTATED_SUFFIX), records);
      records.addAll(tail(name).drain());
    }
    return sorted(records);
  }

  /**
   * {@link #read}, then every record written after, until {@code keepGoing} says no (checked
   * once a poll): each batch merged by time and handed to {@code sink} on this thread.
   */
  public void follow(Consumer<LogRecord> sink, BooleanSupplier keepGoing, Duration poll)
      throws IOException, InterruptedException {
    read().forEach(sink);
    while (keepGoing.getAsBoolean()) {
      Thread.sleep(poll.toMillis());
      List<LogRecord> batch = new ArrayList<>();
      for (String name : wanted()) {
        batch.addAll(tail(name).drain());
      }
      sorted(batch).forEach(sink);
    }
  }

  private List<String> wanted() throws IOException {
    return service.isPresent() ? List.of(service.get()) : services(dir);
  }

  private Tail tail(String name) {
    return tails.computeIfAbsent(name, n -> new Tail(n, dir.resolve(n + LogFiles.SUFFIX)));
  }

  private List<LogRecord> sorted(List<LogRecord> records) {
    return records.stream()
        .filter(r -> since.isEmpty() || !r.time().isBefore(since.get()))
        .sorted(BY_TIME)
        .toList();
  }

  private static void readWhole(String name, Path file, List<LogRecord> into) throws IOException {
    try {
      Files.readAllLines(file, StandardCharsets.UTF_8)
          .forEach(line -> LogRecord.parse(name, line).ifPresent(into::add));
    } catch (NoSuchFileException e) {
      // never rotated
    }
  }

  /** The current file of one service, read on from where the last read stopped. */
  private static final class Tail {
    private final String service;
    private final Path file;
    private FileChannel channel;
    private Object key;
    /** The bytes of a line not yet ended (the writer writes a line at once; a read may split it). */
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    Tail(String service, Path file) {
      this.service = service;
      this.file = file;
    }

    /** The whole lines written since the last call; on a rotation, the old file's rest first. */
    List<LogRecord> drain() throws IOException {
      List<LogRecord> records = new ArrayList<>();
      if (channel != null) {
        readOn(records);
        if (!Objects.equals(key, currentKey())) {
          channel.close(); // it is .log.1 now, and read to its end
          channel = null;
          partial.reset();
        }
      }
      if (channel == null) {
        Object now = currentKey();
        if (now == null) {
          return records; // not written yet, or between rotation and the new file
        }
        try {
          channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
          return records;
        }
        key = now;
        readOn(records);
      }
      return records;
    }

    private Object currentKey() throws IOException {
      try {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
      } catch (NoSuchFileException e) {
        return null;
      }
    }

    private void readOn(List<LogRecord> into) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      while (channel.read(buffer) > 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          byte b = buffer.get();
          if (b == '\n') {
            String line = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            LogRecord.parse(service, line).ifPresent(into::add);
          } else {
            partial.write(b);
          }
        }
        buffer.clear();
      }
    }
  }
}
