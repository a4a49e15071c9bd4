package dev.berth.registry.internal;

import dev.berth.proto.v1.RegistryInfo;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One registry per state dir: an exclusive lock on {@code registry.pid.lock} held for the
 * registry's whole life. Two registries on one dir would split the clients between them and
 * overwrite each other's {@code berths.json} and {@code registry.json}. The kernel drops the
 * lock when the process dies, {@code kill -9} included, so a crashed registry never blocks the
 * next one. Thread-safe; {@link #close} is idempotent.
 */
final class StateDirLock implements AutoCloseable {
  static final String FILE = "registry.pid.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StateDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock, or fails naming the registry that holds it. */
  static StateDirLock acquire(StateFiles files) throws IOException {
    Path file = files.dir().resolve(FILE);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another registry in this JVM
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("state dir " + files.dir() + " already has a running registry"
          + describe(files) + " (expected: one registry per state dir; stop it with 'berth down',"
          + " or pick another dir with --home)");
    }
    return new StateDirLock(channel, lock);
  }

  private static String describe(StateFiles files) {
    try {
      String json = Files.readString(files.registryJson(), StandardCharsets.UTF_8);
      RegistryInfo.Builder info = RegistryInfo.newBuilder();
      com.google.protobuf.util.JsonFormat.parser().ignoringUnknownFields().merge(json, info);
      return " (pid " + info.getPid() + " at " + info.getAddress() + ")";
    } catch (IOException e) {
      return ""; // it is still starting, or its file is gone: the dir is all we can name
    }
  }

  @Override
  public synchronized void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      // closing the channel releases the lock anyway
    }
  }
}
