package dev.berth.registry.internal;

import com.google.protobuf.util.JsonFormat;
import dev.berth.local.StateDir;
import dev.berth.local.StateDirRefusedException;
import dev.berth.proto.v1.RegistryInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The registry's files in the state dir: {@code token}, {@code registry.json} and the path of
 * {@code berths.json}. Every file is created with mode 0600. Thread-safe (stateless apart from
 * the directory).
 */
final class StateFiles {

  static final String TOKEN = StateDir.TOKEN;
  static final String REGISTRY_JSON = StateDir.REGISTRY_JSON;
  static final String BERTHS_JSON = StateDir.BERTHS_JSON;

  private static final Pattern TOKEN_FORMAT = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;
  private final Clock clock;

  StateFiles(Path dir) {
    this(dir, Clock.systemUTC());
  }

  /** {@code clock} names the copies of unreadable files. */
  StateFiles(Path dir, Clock clock) {
    this.dir = dir.toAbsolutePath();
    this.clock = clock;
  }

  Clock clock() {
    return clock;
  }

  /** For messages: {@code MalformedInputException: Input length = 1}, or the message alone. */
  static String describe(IOException e) {
    String message = e.getMessage();
    if (e.getClass() == IOException.class && message != null) {
      return message;
    }
    return message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
  }

  Path dir() {
    return dir;
  }

  Path tokenFile() {
    return dir.resolve(TOKEN);
  }

  Path registryJson() {
    return dir.resolve(REGISTRY_JSON);
  }

  Path berthsJson() {
    return dir.resolve(BERTHS_JSON);
  }

  /**
   * Creates the state dir with mode 0700 if it does not exist, tightens one of Berth's own
   * that is open to others, and refuses one another user owns or can write
   * ({@link StateDir#prepare}).
   */
  void createDir() throws IOException {
    StateDir.of(dir).prepare();
  }

  /**
   * The token: reused when the file holds one (clients already running have read it), else
   * created with mode 0600 so that other OS users cannot read it. A token that is not the
   * user's own with mode 0600 is refused: another user may know it. One that cannot be read
   * or holds no token (bad bytes, a directory in its place) is moved aside and replaced.
   */
  String loadOrCreateToken() throws IOException {
    Path file = tokenFile();
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        if (Files.isDirectory(file)) {
          throw new IOException("a directory");
        }
        StateDir.of(dir).checkToken();
        String existing = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (TOKEN_FORMAT.matcher(existing).matches()) {
          return existing;
        }
        throw new IOException("it holds no token (expected: 64 hex digits)");
      } catch (NoSuchFileException e) {
        // create it
      } catch (StateDirRefusedException e) {
        throw e;
      } catch (IOException e) {
        // nobody can be using it: keep it for a person to look at, and make a new one
        UnreadableFiles.moveAside(file, describe(e), clock);
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String token = HexFormat.of().formatHex(random);
      Path temp = Files.createTempFile(dir, ".token.", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.writeString(temp, token + "\n", StandardCharsets.US_ASCII);
        // link, not rename: link fails if another registry created the file meanwhile, and
        // then both must use that one token
        Files.createLink(file, temp);
        AtomicFile.forceDirectory(dir);
        return token;
      } catch (FileAlreadyExistsException e) {
        // lost the race: read the winner's token on the next pass
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    throw new IOException("cannot create or read the token file " + file);
  }

  void writeRegistryInfo(RegistryInfo info) throws IOException {
    Path file = registryJson();
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      UnreadableFiles.moveAside(file, "not a regular file", clock); // a rename cannot replace it
    }
    AtomicFile.write(registryJson(), JsonFormat.printer().print(info).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Removes {@code registry.json} if it still describes {@code ours}: a registry started later
   * on the same state dir may have replaced it, and its file must stay.
   */
  void removeRegistryInfo(RegistryInfo ours) throws IOException {
    Path file = registryJson();
    Optional<RegistryInfo> current;
    try {
      current = StateDir.of(file.getParent()).readRegistryInfo();
    } catch (IOException e) {
      return; // unreadable: not ours to judge
    }
    if (current.isPresent() && current.get().getAddress().equals(ours.getAddress())
        && current.get().getPid() == ours.getPid()) {
      Files.deleteIfExists(file);
    }
  }
}
