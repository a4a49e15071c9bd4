package dev.berth.cli.internal.doctor;

import dev.berth.proto.v1.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code exposed}: listeners on {@code 0.0.0.0} or {@code ::}, which other machines can reach.
 * A Berth instance's is a problem said first; another process of the current user's is a
 * problem with the fix for its kind of server; another user's is a note (not yours to fix).
 * One finding per port and process, naming each wildcard it listens on.
 */
final class ExposedCheck implements Check {

  static final String CHECK = "exposed";

  @Override
  public void run(Facts facts, List<Finding> out) {
    Map<String, List<Listening>> byHolder = new LinkedHashMap<>();
    for (Listening l : facts.listeners()) {
      if (l.wildcard()) {
        String key = l.port() + "/" + (l.pid() != 0 ? "pid" + l.pid() : "uid" + l.uid());
        byHolder.computeIfAbsent(key, k -> new ArrayList<>()).add(l);
      }
    }
    for (List<Listening> group : byHolder.values()) {
      out.add(finding(facts, group));
    }
  }

  private static Finding finding(Facts facts, List<Listening> group) {
    Listening l = group.get(0);
    String where = group.stream().map(Listening::hostPort).distinct().collect(Collectors.joining(" and "));
    String fix = BindHints.forWildcard(l.commandLine(), l.port());
    Optional<RegistryFacts.InstanceEndpoint> instance = facts.registry().instanceOn(l.port());
    Finding.Builder f;
    if (instance.isPresent()) {
      RegistryFacts.InstanceEndpoint i = instance.get();
      f = Check.problem(CHECK, i.name() + " (instance " + i.instance().getInstanceId() + ", " + l.holder()
              + ") listens on " + where + ", reachable from other machines",
          fix.replaceFirst("^bind 127\\.0\\.0\\.1", "bind 127.0.0.1, where Berth's clients call it"))
          .setBerth(i.name()).setInstanceId(i.instance().getInstanceId());
    } else if (facts.mine(l)) {
      f = Check.problem(CHECK, l.holder() + " listens on " + where + ", reachable from other machines", fix);
    } else {
      f = Check.note(CHECK, l.holder() + " of uid " + l.uid() + " listens on " + where
          + ", reachable from other machines: another user's, not yours to fix", "");
    }
    return f.setPort(l.port()).setPid(l.pid()).setCommandLine(l.commandLine()).build();
  }
}
