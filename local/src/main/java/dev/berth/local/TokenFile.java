package dev.berth.local;

import dev.berth.local.internal.AtomicFile;
import dev.berth.local.internal.Modes;
import dev.berth.local.internal.UnreadableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code token} of a state dir: read by every client, created by the registry. Behind
 * {@link StateDir#readToken}, {@link StateDir#checkToken} and {@link StateDir#loadOrCreateToken}.
 * Thread-safe (stateless apart from the dir).
 */
final class TokenFile {

  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{64}");

  private final StateDir dir;
  private final Path file;

  TokenFile(StateDir dir) {
    this.dir = dir;
    this.file = dir.file(StateDir.TOKEN);
  }

  Optional<String> read() throws IOException {
    dir.check();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    check();
    try {
      return Optional.of(Files.readString(file, StandardCharsets.US_ASCII).strip());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  void check() throws StateDirRefusedException {
    Optional<Modes.Facts> facts;
    int me;
    try {
      if (!Files.exists(file)) {
        return;
      }
      facts = Modes.of(file);
      if (facts.isEmpty()) {
        return;
      }
      me = Modes.currentUid();
    } catch (IOException e) {
      throw new StateDirRefusedException(file, "token " + file + " cannot be checked: " + e);
    }
    Modes.Facts f = facts.get();
    if (f.uid() != me) {
      throw new StateDirRefusedException(file, "token " + file + " is owned by " + f.owner()
          + ", not by you (uid " + me + "), mode " + f.octal() + " (expected: your own, mode 0600):"
          + " fix: remove it (rm " + file + "), and the next registry makes a new one");
    }
    if (f.openToGroupOrOthers()) {
      throw new StateDirRefusedException(file, "token " + file + " can be read or written by others"
          + " (owner " + f.owner() + ", mode " + f.octal() + "; expected: 0600): fix: remove it (rm "
          + file + ") so that the next registry makes a new one; chmod 600 keeps one others may know");
    }
  }

  String loadOrCreate(Clock clock) throws IOException {
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        if (Files.isDirectory(file)) {
          throw new IOException("a directory");
        }
        check();
        String existing = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (FORMAT.matcher(existing).matches()) {
          return existing;
        }
        throw new IOException("it holds no token (expected: 64 hex digits)");
      } catch (NoSuchFileException e) {
        // create it
      } catch (StateDirRefusedException e) {
        throw e;
      } catch (IOException e) {
        // nobody can be using it: keep it for a person to look at, and make a new one
        UnreadableFiles.moveAside(file, UnreadableFiles.describe(e), clock);
      }
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String token = HexFormat.of().formatHex(random);
      Path temp = Files.createTempFile(dir.path(), ".token.", ".tmp", Modes.ownerOnlyFile());
      try {
        Files.writeString(temp, token + "\n", StandardCharsets.US_ASCII);
        // link, not rename: link fails if another registry created the file meanwhile, and
        // then both must use that one token
        Files.createLink(file, temp);
        AtomicFile.forceDirectory(dir.path());
        return token;
      } catch (FileAlreadyExistsException e) {
        // lost the race: read the winner's token on the next pass
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    throw new IOException("cannot create or read the token file " + file);
  }
}
