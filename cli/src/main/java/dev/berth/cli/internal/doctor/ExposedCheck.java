package dev.berth.cli.internal.doctor;

import dev.berth.cli.internal.ListenerKinds.Kind;
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
 *
 * <p>What the process is comes from {@link Listening#kind} for THAT port: a debugger agent (a
 * JDWP agent, a Node inspector) on a wildcard lets anyone who can reach the machine run code as
 * its user, and is said as such with the agent's fix; any other port of the same process (its
 * application) gets the hint for its kind of server ({@link BindHints}), never the agent's.
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
    Optional<RegistryFacts.InstanceEndpoint> instance = facts.registry().instanceOn(l.port());
    if (l.debugAgent()) {
      return agent(facts, l, where, instance);
    }
    String fix = l.perhapsDebugAgent()
        ? BindHints.forPerhapsAgent(l.kind().orElseThrow().kind() == Kind.JDWP_AGENT, l.commandLine(), l.port())
        : BindHints.forWildcard(l.commandLine(), l.port());
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

  /** A debugger agent on a wildcard: its own line, a problem wherever it is (another user's: a note). */
  private static Finding agent(Facts facts, Listening l, String where,
      Optional<RegistryFacts.InstanceEndpoint> instance) {
    boolean jdwp = l.kind().orElseThrow().kind() == Kind.JDWP_AGENT;
    String what = jdwp ? "Java debug agent (JDWP)" : "Node inspector";
    String holder = instance.map(i -> i.name() + " (instance " + i.instance().getInstanceId() + ", " + l.holder() + ")")
        .orElse(l.holder());
    String risk = ": anyone who can reach this machine can run code as "
        + (facts.mine(l) || instance.isPresent() ? "you" : "uid " + l.uid()) + " through it";
    Finding.Builder f;
    if (facts.mine(l) || instance.isPresent()) {
      f = Check.problem(CHECK, holder + " has its " + what + " on " + where + risk, BindHints.forAgent(jdwp, l.port()));
    } else {
      f = Check.note(CHECK, holder + " of uid " + l.uid() + " has its " + what + " on " + where + risk
          + ": another user's, not yours to fix", "");
    }
    instance.ifPresent(i -> f.setBerth(i.name()).setInstanceId(i.instance().getInstanceId()));
    return f.setPort(l.port()).setPid(l.pid()).setCommandLine(l.commandLine()).build();
  }
}
