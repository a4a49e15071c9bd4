package dev.berth.cli.internal.doctor;

import dev.berth.local.StateDir;
import dev.berth.proto.v1.Finding;
import dev.berth.proto.v1.RegistryInfo;
import java.util.List;
import java.util.Optional;

/**
 * {@code registry} and {@code registry-json}: whether a registry runs for the state dir (its
 * lifetime lock, the truth) and answers; a {@code registry.json} that names a registry that is
 * gone (left by a {@code kill -9} or a reboot: clients ignore it, but it names a port anyone may
 * hold now), or that cannot be read. No registry at all is only a note.
 */
final class RegistryCheck implements Check {

  static final String REGISTRY = "registry";
  static final String REGISTRY_JSON = "registry-json";

  @Override
  public void run(Facts facts, List<Finding> out) {
    RegistryFacts r = facts.registry();
    StateDir dir = StateDir.of(r.stateDir());
    String file = dir.file(StateDir.REGISTRY_JSON).toString();
    String lock = dir.file(StateDir.LIFETIME_LOCK).toString();
    if (!r.infoError().isEmpty()) {
      out.add(Check.problem(REGISTRY_JSON, r.infoError(), "remove it (rm " + file + ")"
              + (r.running() ? " and restart the registry: clients cannot find it without the file"
                  : "; the next registry writes a new one"))
          .setPath(file).build());
    }
    Optional<RegistryInfo> info = r.info();
    if (!r.askFailure().isEmpty()) {
      String who = info.filter(i -> r.running()).map(i -> " (pid " + i.getPid() + ", " + i.getAddress() + ")").orElse("");
      out.add(Check.problem(REGISTRY, "the registry of " + r.stateDir() + who + " did not answer: "
              + r.askFailure(),
          "look at " + dir.file(StateDir.LOG) + ", then restart it: berth registry stop; berth registry start")
          .setPid(r.registryPid()).build());
    }
    if (r.running()) {
      if (info.isEmpty() && r.infoError().isEmpty()) {
        out.add(Check.note(REGISTRY, "a registry holds " + lock + " but has not written " + file
            + " yet (it is starting?)", "run berth doctor again in a moment").build());
      } else if (!r.trustFailure().isEmpty()) {
        out.add(Check.note(REGISTRY, "the registry of " + r.stateDir() + " was not asked (the state"
            + " dir or its token is not to be trusted): remembered berths are read from berths.json", "").build());
      }
      return;
    }
    if (info.isPresent()) {
      RegistryInfo gone = info.get();
      out.add(Check.problem(REGISTRY_JSON, file + " names a registry at " + gone.getAddress() + " (pid "
              + gone.getPid() + ") that is gone (nothing holds " + lock + ")" + holderNow(facts, gone.getAddress()),
          "berth registry start replaces it; or remove it: rm " + file)
          .setPath(file).setPid(gone.getPid()).build());
    }
    if (!r.answered()) {
      boolean remembered = java.nio.file.Files.exists(dir.file(StateDir.BERTHS_JSON));
      out.add(Check.note(REGISTRY, "no registry runs for state dir " + r.stateDir()
          + (remembered ? ": remembered berths are read from berths.json" : ""),
          "start one when you want it: berth registry start").build());
    }
  }

  /** "; its port 62893 is held by pid 42 (...) now", or "" when nothing listens there. */
  private static String holderNow(Facts facts, String address) {
    int colon = address.lastIndexOf(':');
    try {
      int port = Integer.parseInt(address.substring(colon + 1));
      return facts.on(port).stream().findFirst()
          .map(l -> "; its port " + port + " is held by " + l.holder() + " now").orElse("");
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return "";
    }
  }
}
