package dev.berth.registry.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.berth.proto.v1.RegistryInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The registry's files in the state dir: {@code token}, {@code registry.json} and the path of
 * {@code berths.json}. Thread-safe (stateless apart from the directory).
 */
final class StateFiles {

  static final String TOKEN = "token";
  static final String REGISTRY_JSON = "registry.json";
  static final String BERTHS_JSON = "berths.json";

  private static final Pattern TOKEN_FORMAT = Pattern.compile("[0-9a-f]{64}");

  private final Path dir;

  StateFiles(Path dir) {
    this.dir = dir.toAbsolutePath();
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

  /** Creates the state dir, readable by its owner only, if it does not exist. */
  void createDir() throws IOException {
    if (!Files.isDirectory(dir)) {
      try {
        Files.createDirectories(dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (UnsupportedOperationException e) {
        Files.createDirectories(dir); // not a POSIX file system
      }
    }
  }

  /**
   * The token: reused when the file holds one (clients already running have read it), else
   * created with mode 0600 so that other OS users cannot read it.
   */
  String loadOrCreateToken() throws IOException {
    Path file = tokenFile();
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        String existing = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (TOKEN_FORMAT.matcher(existing).matches()) {
          return existing;
        }
        // empty or damaged: nobody can be using it, replace it below
        Files.delete(file);
      } catch (NoSuchFileException e) {
        // create it
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
    AtomicFile.write(registryJson(), JsonFormat.printer().print(info).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Removes {@code registry.json} if it still describes {@code ours}: a registry started later
   * on the same state dir may have replaced it, and its file must stay.
   */
  void removeRegistryInfo(RegistryInfo ours) throws IOException {
    Path file = registryJson();
    try {
      RegistryInfo.Builder current = RegistryInfo.newBuilder();
      JsonFormat.parser().ignoringUnknownFields()
          .merge(Files.readString(file, StandardCharsets.UTF_8), current);
      if (current.getAddress().equals(ours.getAddress()) && current.getPid() == ours.getPid()) {
        Files.delete(file);
      }
    } catch (NoSuchFileException e) {
      // already gone
    } catch (InvalidProtocolBufferException e) {
      // not ours to judge
    }
  }
}
