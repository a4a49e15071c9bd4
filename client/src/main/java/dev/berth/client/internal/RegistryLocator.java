package dev.berth.client.internal;

import dev.berth.client.BerthException;
import dev.berth.local.RegistryLauncher;
import dev.berth.local.StateDir;
import dev.berth.proto.v1.RegistryInfo;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the registry and its token. An address given explicitly (builder, the system
 * property {@code berth.registry}, or {@code $BERTH_REGISTRY}) is fixed; otherwise the
 * address comes from {@code registry.json} in the state dir and is read again on every
 * {@link #locate()}, because a restarted registry may listen on another port, and believed
 * only while a registry holds the state dir's lifetime lock (one left by a registry that was
 * killed names nobody). Nothing else
 * names an address: without {@code registry.json} there is none, and the client waits for
 * the file rather than dial a default port, which may be held by a registry of another
 * state dir, a debugger or anything else.
 *
 * <p>The token is read only from a state dir the user owns and nobody else can write, and
 * only when the user owns it with mode 0600 ({@link StateDir#readToken}): a token from a
 * foreign dir is never handed to anyone.
 *
 * <p>Thread-safe (immutable; every call reads the files anew).
 */
public final class RegistryLocator {
  /** The system property that overrides {@code $BERTH_REGISTRY}. */
  public static final String REGISTRY_PROPERTY = "berth.registry";

  /** Where a registry prefers to listen: named in messages, never dialled unless registry.json says so. */
  static final String PREFERRED_ADDRESS = "127.0.0.1:" + RegistryLauncher.DEFAULT_PORT;

  private final Path stateDir;
  private final HostPort fixedAddress;

  private RegistryLocator(Path stateDir, HostPort fixedAddress) {
    this.stateDir = stateDir;
    this.fixedAddress = fixedAddress;
  }

  /** A locator for {@code stateDir}; {@code explicitAddress} (host:port) may be null. */
  public static RegistryLocator of(Path stateDir, String explicitAddress) {
    String fixed = explicitAddress;
    if (fixed == null) {
      fixed = nonBlank(System.getProperty(REGISTRY_PROPERTY));
    }
    if (fixed == null) {
      fixed = nonBlank(System.getenv("BERTH_REGISTRY"));
    }
    return new RegistryLocator(stateDir, fixed == null ? null : HostPort.parse(fixed)); // fails early on a bad value
  }

  public Path stateDir() {
    return stateDir;
  }

  /** True when the address never changes (given explicitly), false when read from files. */
  public boolean isFixed() {
    return fixedAddress != null;
  }

  /**
   * Where the registry is now, and its token. Never throws: the address is null when nothing
   * names one (no {@code registry.json}, or one that cannot be used), the token null when
   * there is none or it is not to be trusted ({@link #checkTrusted} says why).
   */
  public Location locate() {
    HostPort address = fixedAddress;
    long pid = 0;
    if (address == null) {
      Optional<RegistryInfo> info = readInfo(stateDir);
      // a registry.json left by a registry that is gone (kill -9, a reboot) names a port that
      // anyone may hold now (a debugger, another dir's registry): the lifetime lock is the truth
      if (info.isPresent() && StateDir.of(stateDir).registryRunning()) {
        try {
          address = HostPort.parse(info.get().getAddress());
          pid = info.get().getPid();
        } catch (IllegalArgumentException e) {
          address = null; // a file no registry wrote: as good as none
        }
      }
    }
    return new Location(address, readToken(), pid);
  }

  /**
   * Refuses a state dir another user owns or can write, and a token that is not the user's
   * own with mode 0600, with {@code FAILED_PRECONDITION} naming the path, owner, mode and fix.
   */
  public void checkTrusted() {
    try {
      StateDir dir = StateDir.of(stateDir);
      dir.check();
      dir.checkToken();
    } catch (IOException e) {
      throw new BerthException(Status.FAILED_PRECONDITION.withDescription(e.getMessage()), e);
    }
  }

  /** {@code registry.json} of {@code stateDir}, if present and readable. */
  public static Optional<RegistryInfo> readInfo(Path stateDir) {
    try {
      return StateDir.of(stateDir).readRegistryInfo();
    } catch (IOException e) {
      // damaged, or a directory in its place: no registry named, the caller waits or retries
      return Optional.empty();
    }
  }

  private String readToken() {
    try {
      return StateDir.of(stateDir).readToken().orElse(null);
    } catch (IOException e) {
      return null; // refused or unreadable: send none rather than one another user may know
    }
  }

  private static String nonBlank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /**
   * A registry address (null when nothing names one) with its token (null if missing or not
   * trusted) and pid (0 if unknown).
   */
  public record Location(HostPort address, String token, long pid) {}
}
