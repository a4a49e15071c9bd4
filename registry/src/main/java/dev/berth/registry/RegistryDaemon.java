package dev.berth.registry;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Runs one configured registry as a foreground daemon until it is asked to stop: the one runner
 * of {@code java dev.berth.registry.Main} and {@code berth registry}, which differ only in how
 * they parse their arguments into a {@link BerthRegistry.Builder}.
 *
 * <pre>{@code
 * BerthRegistry.Builder builder = BerthRegistry.builder().stateDir(dir).port(0);
 * System.exit(RegistryDaemon.run(builder, System.out, System.err));
 * }</pre>
 *
 * <p>Exit codes:
 * <table>
 *   <caption>what {@link #run} returns, or the JVM exits with</caption>
 *   <tr><th>code</th><th>when</th><th>on the streams</th></tr>
 *   <tr><td>{@value #STOPPED} ({@link #STOPPED})</td><td>stopped on request: SIGTERM or SIGINT
 *       (the JVM exits with it from the shutdown hook), or the calling thread interrupted</td>
 *       <td>{@code berth registry listening on 127.0.0.1:PORT (state DIR)} once it served</td></tr>
 *   <tr><td>{@value #CANNOT_START} ({@link #CANNOT_START})</td><td>the registry cannot be built
 *       or started (port taken, state dir refused or locked by another registry)</td>
 *       <td>one line on {@code err}, {@code berth registry: } and the reason</td></tr>
 *   <tr><td>{@value #USAGE_ERROR} ({@link #USAGE_ERROR})</td><td>never returned here: the
 *       callers' argument parsers answer a bad argument with it before a builder exists</td>
 *       <td>one line on {@code err}, from the caller</td></tr>
 * </table>
 *
 * <p>Threading: {@link #run} blocks the calling thread for the registry's life. Once the
 * registry serves, a JVM shutdown hook (thread {@code berth-registry-shutdown}) owns the exit:
 * on SIGTERM or SIGINT it closes the registry (leases and watches end, {@code registry.json} is
 * removed), flushes {@code out} and halts the JVM with {@link #STOPPED}, since a daemon stopped on
 * request has not failed and the JVM would otherwise report 128+signal. So {@code run} is for a
 * program's main thread, never for a library: it is the one place a registry adds a shutdown
 * hook. Stateless; each call runs its own registry.
 */
public final class RegistryDaemon {

  /** Stopped on request. */
  public static final int STOPPED = 0;
  /** The registry could not be built or started. */
  public static final int CANNOT_START = 1;
  /** A bad argument, answered by the caller's parser. */
  public static final int USAGE_ERROR = 2;

  private RegistryDaemon() {}

  /**
   * Builds and starts {@code builder}'s registry, says where it listens on {@code out}, and
   * blocks until it is asked to stop; see the class comment for the exit codes and the hook.
   *
   * @return {@link #CANNOT_START} at once, or {@link #STOPPED} when the calling thread was
   *     interrupted (the registry is closed by then); on SIGTERM/SIGINT the JVM ends instead
   */
  public static int run(BerthRegistry.Builder builder, PrintStream out, PrintStream err) {
    BerthRegistry registry;
    try {
      registry = builder.build().start();
    } catch (IOException | RuntimeException e) {
      err.println("berth registry: " + e.getMessage());
      err.flush();
      return CANNOT_START;
    }
    Thread hook = new Thread(() -> {
      registry.close();
      out.flush();
      // halt, not exit: exit from a shutdown hook would wait for the hooks, this one included
      Runtime.getRuntime().halt(STOPPED);
    }, "berth-registry-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("berth registry listening on " + registry.address().getAddress().getHostAddress()
        + ":" + registry.port() + " (state " + registry.stateDir() + ")");
    out.flush();
    try {
      registry.awaitTermination();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      registry.close();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook finishes the job
    }
    return STOPPED;
  }
}
