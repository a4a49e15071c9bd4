package dev.berth.local.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Moves a state file the registry cannot read (bad bytes, invalid JSON, a directory in its
 * place) out of the way, so that the registry starts, and keeps it for a person to look at:
 * {@code berths.json.unreadable-20261201T195804Z}, then {@code ...-2}, {@code ...-3}: a second
 * corruption never overwrites the first copy. Thread-safe (stateless).
 */
public final class UnreadableFiles {

  private static final System.Logger LOG = System.getLogger(UnreadableFiles.class.getName());
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private UnreadableFiles() {}

  /**
   * Renames {@code file} to a name no other copy has and logs one warning naming both and
   * {@code why}.
   *
   * @return where it went
   */
  public static Path moveAside(Path file, String why, Clock clock) throws IOException {
    Path aside = place(file, clock, false);
    LOG.log(Level.WARNING, "{0} cannot be read ({1}); moved it to {2} and going on without it",
        file, oneLine(why), aside);
    return aside;
  }

  /**
   * Copies {@code file}, which was read only in part, to a name no other copy has, and logs
   * one warning naming both and {@code why}; the file itself stays.
   *
   * @return where the copy is
   */
  public static Path keepCopy(Path file, String why, Clock clock) throws IOException {
    Path copy = place(file, clock, true);
    LOG.log(Level.WARNING, "{0} had {1}; kept the file as it was in {2} and going on with the rest",
        file, why, copy);
    return copy;
  }

  /** For messages: {@code MalformedInputException: Input length = 1}, or the message alone. */
  public static String describe(IOException e) {
    String message = e.getMessage();
    if (e.getClass() == IOException.class && message != null) {
      return message;
    }
    return message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
  }

  private static String oneLine(String s) {
    return String.valueOf(s).strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  private static Path place(Path file, Clock clock, boolean copy) throws IOException {
    String base = file.getFileName() + ".unreadable-" + STAMP.format(clock.instant());
    for (int n = 1; ; n++) {
      Path target = file.resolveSibling(n == 1 ? base : base + "-" + n);
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        // no REPLACE_EXISTING: a copy kept earlier is never overwritten
        if (copy) {
          Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
        } else {
          Files.move(file, target);
        }
        return target;
      } catch (FileAlreadyExistsException e) {
        // created meanwhile: the next name
      }
    }
  }
}
