package dev.berth.cli.internal.doctor;

import dev.berth.proto.v1.Finding;
import dev.berth.proto.v1.StickyBerth;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code squatter}: a process outside Berth listening on a port the registry remembers for a
 * service (from {@code Berths}, else {@code berths.json}): while it stays, the service gets
 * another port next time, and whatever was configured with the old one misses it. A port a
 * live Berth instance listens on (any service's) or the registry's own is not squatted. One
 * finding per port and holding process, whoever's it is.
 */
final class SquatterCheck implements Check {

  static final String CHECK = "squatter";

  @Override
  public void run(Facts facts, List<Finding> out) {
    if (!facts.procAvailable()) {
      return;
    }
    Set<String> said = new HashSet<>();
    for (StickyBerth b : facts.registry().berths()) {
      String name = RegistryFacts.name(b.getService(), b.getEndpoint(), b.getNamespace());
      List<Integer> ports = b.getPortsList();
      for (int i = 0; i < ports.size(); i++) {
        int port = ports.get(i);
        List<Listening> on = facts.on(port);
        if (on.isEmpty() || on.stream().anyMatch(facts::ownedByBerth)) {
          continue;
        }
        for (Listening l : on) {
          if (said.add(port + "/" + l.pid())) {
            out.add(finding(facts, name, i == 0 ? "" : " (its instance " + (i + 1) + ")", l));
          }
        }
      }
    }
  }

  /** {@code which} says which instance's port it is: empty for the first. */
  private static Finding finding(Facts facts, String berth, String which, Listening l) {
    String pool = facts.registry().pool().map(p -> " outside Berth's pool (" + p + ")").orElse("");
    String stop = l.pid() == 0 ? "stop it" : "stop pid " + l.pid() + " (kill " + l.pid() + ")";
    return Check.problem(CHECK, "port " + l.port() + ", remembered for " + berth + which
            + ", is held by " + l.holder() + " outside Berth: " + berth
            + " gets another port next time it starts",
        stop + " if it should not run there, or move it to a port" + pool + "; then " + berth
            + " gets its port back")
        .setPort(l.port()).setPid(l.pid()).setCommandLine(l.commandLine()).setBerth(berth)
        .build();
  }
}
