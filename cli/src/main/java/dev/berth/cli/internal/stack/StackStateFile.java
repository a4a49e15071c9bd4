package dev.berth.cli.internal.stack;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.berth.local.internal.AtomicFile;
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
 * directory. Thread-safe: each write replaces the file.
 */
public final class StackStateFile {

  public static final String STACKS = "stacks";
  public static final String FILE = "stack.json";

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
      dev.berth.local.StateDir.of(dir.getParent().getParent()).prepare();
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
