package dev.berth.client;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where Berth keeps its state: {@code registry.json}, {@code token}, {@code berths.json},
 * {@code registry.lock} and {@code registry.log}.
 *
 * <p>The rule, first match wins: the system property {@code berth.home} (for tests and
 * embedding), {@code $BERTH_HOME}, {@code $XDG_RUNTIME_DIR/berth}, {@code ~/.berth}.
 *
 * <pre>{@code
 * Path home = BerthHome.defaultDir();   // e.g. /run/user/1000/berth
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class BerthHome {
  /** The system property that overrides {@code $BERTH_HOME}. */
  public static final String HOME_PROPERTY = "berth.home";

  private BerthHome() {}

  /** The state dir by the rule above; not created. */
  public static Path defaultDir() {
    String property = System.getProperty(HOME_PROPERTY);
    if (notBlank(property)) {
      return Paths.get(property);
    }
    String home = System.getenv("BERTH_HOME");
    if (notBlank(home)) {
      return Paths.get(home);
    }
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    if (notBlank(runtime)) {
      return Paths.get(runtime, "berth");
    }
    return Paths.get(System.getProperty("user.home"), ".berth");
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
