package dev.berth.cli.internal.stack;

import dev.berth.local.internal.StackStateFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A stack's log: one file per service, {@code <stack dir>/logs/<service>.log}, one line per
 * record, each written whole with one {@code write} and readable at once by {@code berth logs
 * -f}.
 *
 * <pre>{@code
 * 2026-12-02T04:00:00.123Z 1 out listening on 127.0.0.1:61001
 * 2026-12-02T04:00:00.130Z 1 berth live on 127.0.0.1:61001
 * }</pre>
 *
 * <p>Bounded: a file that would grow past {@code maxBytes} is moved to {@code <service>.log.1}
 * (replacing the one before) and started anew, so a service never holds more than twice
 * {@code maxBytes} on disk, however long it runs. The dir is 0700 and each file 0600: what a
 * service prints (tokens, URLs with credentials) is its user's only. Format and reading:
 * {@link LogRecord}, {@link LogReader}.
 *
 * <p>Thread-safe: one lock per service file. A file that cannot be written loses that record
 * and the next one tries again; the supervisor's stack must not die of a full disk.
 */
public final class LogFiles implements StackOutput, AutoCloseable {

  /** The dir under a stack's dir (the layout is {@link StackStateFile}'s: the registry reads it too). */
  public static final String DIR = StackStateFile.LOGS;
  public static final String SUFFIX = StackStateFile.LOG_SUFFIX;
  /** The one older file kept per service. */
  public static final String ROTATED_SUFFIX = StackStateFile.ROTATED_LOG_SUFFIX;
  public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;
  private static final Set<java.nio.file.attribute.PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<java.nio.file.attribute.PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");

  private final Path dir;
  private final Clock clock;
  private final long maxBytes;
  private final Map<String, ServiceLog> files = new HashMap<>();
  private boolean closed;

  private LogFiles(Path dir, Clock clock, long maxBytes) {
    this.dir = dir;
    this.clock = clock;
    this.maxBytes = maxBytes;
  }

  /**
   * The log files under {@code dir} (created 0700 if missing), each rotated at
   * {@code maxBytes}.
   */
  public static LogFiles open(Path dir, Clock clock, long maxBytes) throws IOException {
    if (maxBytes < 1024) {
      throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: >= 1024)");
    }
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
    }
    Files.setPosixFilePermissions(dir, DIR_MODE);
    return new LogFiles(dir, clock, maxBytes);
  }

  /** The logs dir of the stack whose dir is {@code stackDir}. */
  public static Path dirOf(Path stackDir) {
    return stackDir.resolve(DIR);
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void line(String service, int instance, Stream stream, String text) {
    append(service, instance, stream == Stream.OUT ? LogRecord.Kind.OUT : LogRecord.Kind.ERR, text);
  }

  @Override
  public void event(String service, int instance, String text) {
    append(service, instance, LogRecord.Kind.BERTH, text);
  }

  private void append(String service, int instance, LogRecord.Kind kind, String text) {
    if (service.isEmpty() || service.contains("/") || service.startsWith(".")) {
      throw new IllegalArgumentException("service: '" + service + "' (expected: a service name)");
    }
    ServiceLog log;
    synchronized (files) {
      if (closed) {
        return;
      }
      log = files.computeIfAbsent(service, ServiceLog::new);
    }
    // a line longer than a quarter of the file is cut: one record never rotates twice
    String line = new LogRecord(clock.instant(), service, instance, kind, text).format(maxBytes / 4);
    log.write(line.getBytes(StandardCharsets.UTF_8));
  }

  /** Closes every file; later records are dropped. Idempotent. */
  @Override
  public void close() {
    synchronized (files) {
      closed = true;
      files.values().forEach(ServiceLog::close);
      files.clear();
    }
  }

  /** One service's file, opened lazily, rotated when full. */
  private final class ServiceLog {
    private final Path file;
    private final Path rotated;
    private FileChannel channel;
    private long size;
    /** Said once until a write succeeds again, not once a line. */
    private boolean failing;

    ServiceLog(String service) {
      this.file = dir.resolve(service + SUFFIX);
      this.rotated = dir.resolve(service + ROTATED_SUFFIX);
    }

    synchronized void write(byte[] record) {
      try {
        if (channel == null) {
          openFile();
        }
        if (size > 0 && size + record.length > maxBytes) {
          channel.close();
          channel = null;
          Files.move(file, rotated, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          openFile();
        }
        ByteBuffer buffer = ByteBuffer.wrap(record);
        while (buffer.hasRemaining()) {
          size += channel.write(buffer);
        }
        failing = false;
      } catch (IOException e) {
        close(); // reopened by the next record
        if (!failing) {
          failing = true;
          System.err.println("berth: cannot write " + file + ": " + e + "; its lines are lost until it can");
        }
      }
    }

    private void openFile() throws IOException {
      channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(FILE_MODE));
      Files.setPosixFilePermissions(file, FILE_MODE); // an older file of looser mode
      size = channel.size();
    }

    synchronized void close() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // every byte was written already (no buffer here): nothing is lost
        } finally {
          channel = null;
        }
      }
    }
  }
}
