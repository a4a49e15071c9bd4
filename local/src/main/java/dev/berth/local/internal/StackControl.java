package dev.berth.local.internal;

import dev.berth.local.Internal;
import dev.berth.proto.v1.StackState;

/**
 * What a running stack's supervisor does for {@code berth ps}, {@code restart} and {@code stop}
 * (through its control socket, {@link ControlClient}; in the same JVM for tests). The CLI's
 * {@code Supervisor} implements it; the dashboard of the registry asks through it too.
 */
@Internal
public interface StackControl {

  /** The current state, as written to stack.json. */
  StackState status();

  /**
   * Stops every instance of {@code service} (SIGTERM, a grace period, SIGKILL of its tree) and
   * starts it again on the same ports; its dependents keep running.
   *
   * @throws IllegalArgumentException naming the service when the stack has none of that name
   */
  void restart(String service);

  /** Stops every instance of {@code service}; it stays stopped until restarted. */
  void stop(String service);

  /** Stops everything in reverse dependency order; the supervisor then exits. */
  void stopAll();
}
