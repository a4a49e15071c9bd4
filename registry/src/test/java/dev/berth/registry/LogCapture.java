package dev.berth.registry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every java.util.logging record of this JVM while open (the registry logs through
 * System.Logger, which is JUL here; gRPC and Netty log through JUL), at the levels the
 * loggers already pass. Closing removes the handler.
 */
final class LogCapture extends Handler implements AutoCloseable {

  private final Logger root = Logger.getLogger("");
  final List<LogRecord> records = new CopyOnWriteArrayList<>();

  LogCapture() {
    setLevel(Level.ALL);
    root.addHandler(this);
  }

  /** Records at {@code level} or above. */
  List<LogRecord> atLeast(Level level) {
    return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
  }

  /** Records that carry a stack trace, at {@code level} or above. */
  List<LogRecord> withStackTrace(Level level) {
    return atLeast(level).stream().filter(r -> r.getThrown() != null).toList();
  }

  static String describe(List<LogRecord> records) {
    StringBuilder out = new StringBuilder();
    for (LogRecord r : records) {
      out.append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ")
          .append(r.getMessage()).append(r.getThrown() != null ? " " + r.getThrown() : "")
          .append('\n');
    }
    return out.toString();
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
  }
}
