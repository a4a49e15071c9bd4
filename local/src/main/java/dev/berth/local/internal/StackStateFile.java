package dev.berth.local.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.berth.local.Internal;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.StackState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code <state dir>/stacks/<namespace>/stack.json}: a stack's {@link StackState}, in protobuf's
 * JSON. Written whole and atomically ({@link AtomicFile}: a reader, or the next {@code berth up}
 * after a {@code kill -9}, sees the old state or the new, never half), mode 0600 in a 0700
 * directory. Written by the CLI's supervisor ({@code berth up}); read by {@code berth ps},
 * the next {@code berth up} and the registry's dashboard, all of which believe it only while
 * {@link #supervisorRuns} (a {@code kill -9}ed supervisor leaves its last state behind).
 * Thread-safe: each write replaces the file.
 */
@Internal
public final class StackStateFile {

  public static final String STACKS = "stacks";
  public static final String FILE = "stack.json";
  /** The supervisor's control socket in the stack dir, where a state names none. */
  public static final String CONTROL_SOCKET = "control.sock";
  /** The dir of the services' logs in the stack dir: {@code logs/<service>.log}. */
  public static final String LOGS = "logs";
  public static final String LOG_SUFFIX = ".log";
  /** The one older log kept per service, after the file passed its size. */
  public static final String ROTATED_LOG_SUFFIX = ".log.1";

  private final Path dir;

  private StackStateFile(Path dir) {
    this.dir = dir;
  }

  /** The stack directory of {@code namespace} in state dir {@code home}. */
  public static StackStateFile of(Path home, String namespace) {
    return new StackStateFile(home.resolve(STACKS).resolve(namespace));
  }

  /** {@code <state dir>/stacks/<namespace>/}: stack.json, control.sock, supervisor.log, logs/. */
  public Path dir() {
    return dir;
  }

  public Path path() {
    return dir.resolve(FILE);
  }

  /** The last state written; empty when there is none. */
  public Optional<StackState> read() throws IOException {
    String json;
    try {
      json = Files.readString(path(), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    StackState.Builder state = StackState.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(json, state);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(path() + ": not a stack state (" + e.getMessage() + ")", e);
    }
    return Optional.of(state.build());
  }

  /** {@code <stack dir>/logs/}. */
  public Path logsDir() {
    return dir.resolve(LOGS);
  }

  /** The control socket {@code state} names, else the stack dir's. */
  public Path controlSocket(StackState state) {
    return state.getControlSocket().isEmpty() ? dir.resolve(CONTROL_SOCKET) : Path.of(state.getControlSocket());
  }

  /**
   * True when {@code state}'s supervisor still runs: the same pid with the same start time
   * ({@link ProcStat}), so that a pid reused by another process does not count, and not a zombie
   * (a supervisor started detached is reparented, and an init that does not reap leaves it in
   * {@code /proc} for good, its socket closed). Without a recorded start time (no {@code /proc}
   * where it was written), a live pid.
   */
  public static boolean supervisorRuns(StackState state) {
    long pid = state.getSupervisorPid();
    if (state.getSupervisorStartTicks() > 0) {
      return ProcStat.runs(pid, state.getSupervisorStartTicks());
    }
    return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Replaces the file with {@code state}. */
  public void write(StackState state) {
    try {
      createDir();
      AtomicFile.write(path(), JsonFormat.printer().print(state).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path() + ": " + e.getMessage(), e);
    }
  }

  /** Creates the stack directory (0700) and its parents under the state dir. */
  public Path createDir() throws IOException {
    if (!Files.isDirectory(dir)) {
      // the state dir as every Berth process makes it (0700, refused when others may write it)
      StateDir.of(dir.getParent().getParent()).prepare();
      try {
        Files.createDirectory(dir.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        // made before, or by another berth at the same moment
      }
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        // another berth made it at the same moment
      } catch (UnsupportedOperationException e) {
        Files.createDirectories(dir);
      }
    }
    return dir;
  }
}
