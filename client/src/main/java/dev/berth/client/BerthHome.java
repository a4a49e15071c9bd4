package dev.berth.client;

import dev.berth.local.StateDir;
import java.nio.file.Path;

/**
 * Where Berth keeps its state: {@code registry.json}, {@code token}, {@code berths.json},
 * {@code registry.pid.lock}, {@code registry.lock} and {@code registry.log}.
 *
 * <p>The rule, first match wins: the system property {@code berth.home} (for tests and
 * embedding), {@code $BERTH_HOME}, {@code $XDG_RUNTIME_DIR/berth}, {@code ~/.berth}; a blank
 * value counts as unset. Every Berth process shares it ({@link StateDir}). A client refuses a
 * dir another user owns or can write, and a {@code token} that is not the user's own with
 * mode 0600.
 *
 * <pre>{@code
 * Path home = BerthHome.defaultDir();   // e.g. /run/user/1000/berth
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 *
 * @deprecated the rule lives in {@link StateDir} (berth-local), shared by every Berth process;
 *     use {@link StateDir#defaultPath()} and {@link StateDir#HOME_PROPERTY}. This class only
 *     delegates there and is leaving the public API.
 */
@Deprecated
public final class BerthHome {
  /** The system property that overrides {@code $BERTH_HOME}. */
  public static final String HOME_PROPERTY = StateDir.HOME_PROPERTY;

  private BerthHome() {}

  /** The state dir by the rule above; not created. */
  public static Path defaultDir() {
    return StateDir.defaultPath();
  }
}
