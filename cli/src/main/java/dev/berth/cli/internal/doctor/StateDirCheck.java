package dev.berth.cli.internal.doctor;

import dev.berth.local.StateDir;
import dev.berth.proto.v1.Finding;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * {@code state-dir} and {@code token}: the state dir's and the token's owner and mode, judged by
 * {@link StateDir#check} and {@link StateDir#checkToken}, the rules every Berth process applies,
 * in their words (each already names the path, owner, mode and fix). A dir that does not exist
 * yet is a note: the first registry creates it.
 */
final class StateDirCheck implements Check {

  static final String STATE_DIR = "state-dir";
  static final String TOKEN = "token";

  @Override
  public void run(Facts facts, List<Finding> out) {
    StateDir dir = StateDir.of(facts.registry().stateDir());
    if (!Files.exists(dir.path())) {
      out.add(Check.note(STATE_DIR, "state dir " + dir.path() + " does not exist yet: the first"
          + " registry creates it, mode 0700", "").setPath(dir.path().toString()).build());
      return;
    }
    try {
      dir.check();
    } catch (IOException e) {
      out.add(split(STATE_DIR, e.getMessage()).setPath(dir.path().toString()).build());
      return; // the token of a dir not to be trusted says nothing more
    }
    try {
      dir.checkToken();
    } catch (IOException e) {
      out.add(split(TOKEN, e.getMessage()).setPath(dir.file(StateDir.TOKEN).toString()).build());
    }
  }

  /** "... (expected: 0700): fix: chmod 700 DIR" as a problem and its fix. */
  static Finding.Builder split(String check, String message) {
    int at = message.indexOf(": fix: ");
    return at < 0 ? Check.problem(check, message, "")
        : Check.problem(check, message.substring(0, at), message.substring(at + ": fix: ".length()));
  }
}
