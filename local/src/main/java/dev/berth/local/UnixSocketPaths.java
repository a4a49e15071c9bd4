package dev.berth.local;

/**
 * What a Unix domain socket path may be, for every Berth process: the client checks it in
 * {@code Address.unix}, the registry at {@code register}.
 *
 * <p>Thread-safe (constants only).
 */
public final class UnixSocketPaths {
  /** The longest path Linux accepts: {@code sun_path} holds 108 bytes, one of them the NUL. */
  public static final int MAX_BYTES = 107;

  private UnixSocketPaths() {}
}
