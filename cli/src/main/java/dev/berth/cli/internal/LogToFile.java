package dev.berth.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * Sends this process's {@code java.util.logging} records to a file instead of the console
 * until closed. {@code berth demo} runs the registry in its own JVM: without this, every
 * "port conflict" the registry logs lands between the lines of the demo's story, where
 * {@code berth conflicts} and the registry's log are the places for them.
 *
 * <p>Open and close from one thread (or under one lock): it swaps the root logger's handlers.
 */
final class LogToFile implements AutoCloseable {
  private final Logger root = Logger.getLogger("");
  private final Handler[] saved;
  private final Handler file;
  private boolean closed;

  private LogToFile(Handler file) {
    this.file = file;
    this.saved = root.getHandlers();
    for (Handler h : saved) {
      root.removeHandler(h);
    }
    root.addHandler(file);
  }

  /** From now on, records go to {@code log} (appended, one line each, flushed per record). */
  static LogToFile open(Path log) throws IOException {
    StreamHandler handler = new StreamHandler(Files.newOutputStream(log,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND), new SimpleFormatter()) {
      @Override
      public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush(); // readable while the demo runs
      }
    };
    return new LogToFile(handler);
  }

  /** Puts the console handlers back and closes the file. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    root.removeHandler(file);
    for (Handler h : saved) {
      root.addHandler(h);
    }
    file.close();
  }
}
