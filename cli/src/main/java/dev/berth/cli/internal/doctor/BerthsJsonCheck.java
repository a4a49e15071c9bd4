package dev.berth.cli.internal.doctor;

import dev.berth.local.StateDir;
import dev.berth.proto.v1.Finding;
import dev.berth.registry.internal.BerthsFile;
import java.util.List;

/**
 * {@code berths-json}: a {@code berths.json} the registry cannot read (bad bytes, not JSON, a
 * directory in its place: the next registry moves it aside and forgets every berth), or entries
 * of it the registry would drop. Read by the registry's own rules ({@link BerthsFile#peek}),
 * without moving anything.
 */
final class BerthsJsonCheck implements Check {

  static final String CHECK = "berths-json";

  @Override
  public void run(Facts facts, List<Finding> out) {
    RegistryFacts r = facts.registry();
    String file = StateDir.of(r.stateDir()).file(StateDir.BERTHS_JSON).toString();
    BerthsFile.Peek peek = r.berthsFile();
    if (peek.unreadable().isPresent()) {
      out.add(Check.problem(CHECK, file + " cannot be read (" + peek.unreadable().get() + ")"
              + (r.running() ? ": the running registry writes it anew on its next change"
                  : ": the next registry moves it aside and forgets every remembered port"),
          "repair it, or remove it (rm " + file + ") to start over")
          .setPath(file).build());
    } else if (!peek.dropped().isEmpty()) {
      int n = peek.dropped().size();
      out.add(Check.problem(CHECK, file + " has " + n + " entr" + (n == 1 ? "y" : "ies")
              + " the registry cannot use (" + peek.dropped().get(0) + (n > 1 ? "; ..." : "") + ")",
          "repair or remove " + (n == 1 ? "it" : "them") + "; the registry drops them, keeping a copy of the file")
          .setPath(file).build());
    }
  }
}
