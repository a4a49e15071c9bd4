package dev.berth.cli.internal.doctor;

import java.util.List;

/**
 * How to make a common server listen on loopback only, recognised from its command line: the
 * concrete flag where one is cheap to name, else the general advice. Only for a port that is the
 * process's application, not its debugger agent: {@link ExposedCheck} tells an agent's port from
 * the others with {@code ListenerKinds} (port-accurate) and says {@link #forAgent} there, so a JVM
 * with {@code -agentlib:jdwp} on 5005 gets the Java server's hint for its 0.0.0.0:8080. Stateless.
 */
final class BindHints {

  private record Hint(List<String> all, String fix) {}

  // every word of `all` appears in the command line; the first hint that matches is said
  private static final List<Hint> HINTS = List.of(
      new Hint(List.of("http.server"), "add --bind 127.0.0.1 (python3 -m http.server PORT --bind 127.0.0.1)"),
      new Hint(List.of("uvicorn"), "use --host 127.0.0.1"),
      new Hint(List.of("gunicorn"), "use --bind 127.0.0.1:PORT"),
      new Hint(List.of("flask"), "use --host 127.0.0.1 (flask run's default)"),
      new Hint(List.of("manage.py", "runserver"), "use runserver 127.0.0.1:PORT"),
      new Hint(List.of("rails"), "use -b 127.0.0.1"),
      new Hint(List.of("php", "-S"), "use php -S 127.0.0.1:PORT"),
      new Hint(List.of("jupyter"), "use --ip=127.0.0.1"),
      new Hint(List.of("redis-server"), "use --bind 127.0.0.1"),
      new Hint(List.of("java"), "Spring Boot: -Dserver.address=127.0.0.1; Quarkus: -Dquarkus.http.host=127.0.0.1;"
          + " a plain ServerSocket: bind InetAddress.getLoopbackAddress()"),
      new Hint(List.of("node"), "listen(PORT, '127.0.0.1'); Vite and Next: drop --host / -H 0.0.0.0"));

  private BindHints() {}

  /** The fix for {@code commandLine} listening on a wildcard at {@code port}. */
  static String forWildcard(String commandLine, int port) {
    String words = " " + commandLine + " ";
    for (Hint h : HINTS) {
      if (h.all().stream().allMatch(words::contains)) {
        return "bind 127.0.0.1: " + h.fix().replace("PORT", Integer.toString(port))
            + "; unless other machines are meant to reach it";
      }
    }
    return "bind 127.0.0.1 (or ::1) instead of the wildcard, unless other machines are meant to reach it";
  }

  /** The fix for a JDWP agent ({@code jdwp} true) or a Node inspector on a wildcard at {@code port}. */
  static String forAgent(boolean jdwp, int port) {
    String loopback = jdwp
        ? "give the agent address=127.0.0.1:" + port + " (-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,"
            + "address=127.0.0.1:" + port + "), not *:" + port + " or 0.0.0.0:" + port
        : "use --inspect=127.0.0.1:" + port + ", not --inspect=0.0.0.0:" + port;
    return loopback + "; or start it with berth run --debug, which does and keeps the port";
  }

  /**
   * The fix for a wildcard port of a process whose debugger agent chose its own port: this port
   * may be the agent or its application, which {@code /proc} cannot tell apart.
   */
  static String forPerhapsAgent(boolean jdwp, String commandLine, int port) {
    String agent = jdwp ? "JDWP agent, give it address=127.0.0.1:" + port : "inspector, use --inspect=127.0.0.1:" + port;
    return "if it is the " + agent + " (berth run --debug does): whoever reaches it can run code as you; else "
        + forWildcard(commandLine, port);
  }
}
