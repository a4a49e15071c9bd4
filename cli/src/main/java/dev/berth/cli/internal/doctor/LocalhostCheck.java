package dev.berth.cli.internal.doctor;

import dev.berth.proto.v1.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code localhost}: a server of the current user's on 127.0.0.1 only or on ::1 only (nothing
 * on the other loopback at that port, no wildcard) while some clients try {@code localhost}
 * the other way first. Two orders matter: getaddrinfo's (Node 17+, Python, curl, Go: the order
 * {@link Facts#localhost} gives), and Java's, which tries the IPv4 addresses first unless
 * {@code java.net.preferIPv6Addresses} is set. A client that takes the first address only is
 * refused; one that falls back pays a refused connect first.
 *
 * <p>Exempt, because their clients dial them by address, never by {@code localhost}: Berth's
 * own listeners (Berth calls an instance at the address it listens on), every Berth registry,
 * of this state dir or another ({@link Listening#berthRegistry}: clients read its address from
 * {@code registry.json}), and debugger agents configured for the port ({@link Listening#debugAgent}:
 * a debugger attaches to the address the agent was given). Other users' servers are not reported.
 */
final class LocalhostCheck implements Check {

  static final String CHECK = "localhost";
  private static final String V4 = "127.0.0.1";
  private static final String V6 = "::1";

  @Override
  public void run(Facts facts, List<Finding> out) {
    if (!facts.procAvailable()) {
      return;
    }
    if (facts.localhost().isEmpty()) {
      out.add(Check.note(CHECK, "localhost resolves to nothing here (" + facts.localhostSource()
              + "): clients of localhost:PORT cannot connect at all",
          "add '127.0.0.1 localhost' and '::1 localhost' to /etc/hosts").build());
      return;
    }
    Map<Integer, List<Listening>> byPort = new LinkedHashMap<>();
    for (Listening l : facts.listeners()) {
      byPort.computeIfAbsent(l.port(), p -> new ArrayList<>()).add(l);
    }
    String gaiFirst = facts.localhost().get(0);
    String javaFirst = javaFirst(facts.localhost());
    for (List<Listening> port : byPort.values()) {
      Listening l = port.get(0);
      if (!facts.mine(l) || port.stream().anyMatch(facts::ownedByBerth)
          || port.stream().anyMatch(x -> x.berthRegistry() || x.debugAgent())
          || port.stream().anyMatch(Listening::wildcard)) {
        continue; // another user's; Berth's own, any registry, a debugger agent: dialled by address;
                  // on a wildcard the exposed check speaks
      }
      boolean v4 = port.stream().anyMatch(Listening::ipv4Loopback);
      boolean v6 = port.stream().anyMatch(Listening::ipv6Loopback);
      if (v4 == v6) {
        continue; // both loopbacks, or neither (another 127.x, a LAN address)
      }
      String only = v4 ? V4 : V6;
      List<String> refused = new ArrayList<>();
      if (!gaiFirst.equals(only)) {
        refused.add("clients in getaddrinfo order (Node 17+, Python, curl, Go: " + gaiFirst
            + " first here, " + facts.localhostSource() + ")");
      }
      if (!javaFirst.equals(only)) {
        refused.add("Java clients (" + javaFirst + " first)");
      }
      if (refused.isEmpty()) {
        continue;
      }
      Listening at = port.stream().filter(v4 ? Listening::ipv4Loopback : Listening::ipv6Loopback)
          .findFirst().orElse(l);
      String other = v4 ? V6 : V4;
      out.add(Check.problem(CHECK, at.holder() + " listens on " + at.hostPort() + " only: localhost:"
              + l.port() + " is refused for " + String.join(" and ", refused),
          "listen on " + other + " too (or on both loopbacks), or have clients call " + at.hostPort()
              + " instead of localhost")
          .setPort(l.port()).setPid(at.pid()).setCommandLine(at.commandLine()).build());
    }
  }

  /** Java's first: the first IPv4 address of {@code localhost}, else its first. */
  static String javaFirst(List<String> localhost) {
    return localhost.stream().filter(a -> !a.contains(":")).findFirst().orElse(localhost.get(0));
  }
}
