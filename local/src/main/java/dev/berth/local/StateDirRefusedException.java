package dev.berth.local;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A state dir or {@code token} that Berth will not use, because another user owns it or could
 * have written it. The message is one line naming the path, owner, mode and the fix, e.g.
 * {@code state dir /tmp/b is writable by others (owner root, mode 0777; expected: 0700): fix: chmod 700 /tmp/b}.
 */
public final class StateDirRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Path path;

  public StateDirRefusedException(Path path, String message) {
    super(message);
    this.path = path;
  }

  /** The dir or file refused. */
  public Path path() {
    return path;
  }
}
