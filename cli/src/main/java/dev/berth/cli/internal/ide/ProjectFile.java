package dev.berth.cli.internal.ide;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file of the user's project whole (a temp file beside it, then a rename), so an IDE
 * that reads it while it is written sees the old or the new content, never half; and only when
 * the content differs, so that a second run leaves the file, and its modification time, alone.
 * Stateless.
 */
public final class ProjectFile {

  private ProjectFile() {}

  /**
   * Writes {@code text} to {@code file}, creating its directory.
   *
   * @return false when the file already held exactly {@code text} (nothing was written)
   */
  public static boolean write(Path file, String text) throws IOException {
    if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
      return false;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return true;
  }
}
