package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.CliException;
import dev.berth.local.internal.StackStateFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * One supervisor per stack: {@code <stack dir>/supervisor.lock}, held for the supervisor's life.
 * Taken before the orphan sweep and before anything starts, so two {@code berth up} of one stack
 * at the same moment cannot both pass the check of stack.json and start two sets of processes;
 * the kernel drops it when the supervisor dies, {@code kill -9} included.
 */
public final class StackLock implements AutoCloseable {

  static final String FILE = "supervisor.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StackLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code state}'s stack, or fails naming the stack and what to do.
   *
   * @throws CliException another supervisor holds it
   */
  public static StackLock acquire(StackStateFile state, String namespace) throws IOException {
    Path dir = state.createDir();
    Path path = dir.resolve(FILE);
    FileChannel channel = FileChannel.open(path,
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held in this JVM already
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw CliException.failure("stack " + namespace + " is already up (another berth up holds "
          + path + "): 'berth ps' shows it, 'berth down' stops it");
    }
    return new StackLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
