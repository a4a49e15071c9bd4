package dev.berth.cli.internal.doctor;

import java.util.List;

/**
 * How to make a common server listen on loopback only, recognised from its command line: the
 * concrete flag where one is cheap to name, else the general advice. Stateless.
 */
final class BindHints {

  private record Hint(List<String> all, String fix) {}

  // every word of `all` appears in the command line; the first hint that matches is said
  private static final List<Hint> HINTS = List.of(
      new Hint(List.of("http.server"), "add --bind 127.0.0.1 (python3 -m http.server PORT --bind 127.0.0.1)"),
      new Hint(List.of("jdwp"), "give the agent address=127.0.0.1:PORT, not *:PORT or a bare port (berth run --debug does)"),
      new Hint(List.of("--inspect"), "use --inspect=127.0.0.1:PORT, not 0.0.0.0"),
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
}
