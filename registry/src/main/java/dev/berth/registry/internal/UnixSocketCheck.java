package dev.berth.registry.internal;

import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.EndpointRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Checks that an instance really listens on the Unix domain socket it named before the
 * registry believes its {@code ready}: the {@link ListenCheck} of {@code unix_path} endpoints.
 * Thread-safe (stateless); it reads {@code /proc}, so it runs on the Attach pool.
 *
 * <p>Where {@code /proc/net/unix} can be read, a listening socket must be bound at the path and
 * one such socket must be open in the registering pid or a descendant. Without it, a connect
 * to the path must succeed (the listener then sees one connection closed at once); who
 * listens cannot be told there.
 *
 * <p>The same check holds for {@code also_unix_path}, the Unix socket a TCP endpoint serves on
 * besides its port ({@link #verifyAlso}): a foreign or dead socket there would send same-user
 * {@code berth:} callers somewhere else than the instance. The registry never removes a
 * socket file; the instance that binds it does.
 */
final class UnixSocketCheck {

  private final UnixListeners listeners;
  private final ProcessSockets sockets;

  /** Reads the socket tables under {@code proc}: a fake or empty tree in tests. */
  UnixSocketCheck(Path proc) {
    this.listeners = new UnixListeners(proc);
    this.sockets = new ProcSockets(proc);
  }

  /** This machine's {@code /proc}. */
  static UnixSocketCheck system() {
    return new UnixSocketCheck(Path.of("/proc"));
  }

  /**
   * @param step what the client sent, for the message ("ready")
   * @throws StatusRuntimeException FAILED_PRECONDITION naming the path (and its real holder)
   */
  void verify(String step, String endpoint, String path, long pid) {
    verify(step, endpoint, "unix_path", path, pid);
  }

  private void verify(String step, String endpoint, String field, String path, long pid) {
    String where = String.format("%s: endpoint %s %s %s", step, Names.quote(endpoint), field,
        Names.quote(path));
    String expected = "ready once " + (pid == 0 ? "the instance" : "pid " + pid + " or a descendant")
        + " listens on the path";
    if (!listeners.available()) {
      if (!connects(path)) {
        throw precondition(where + ": nothing listens on it (expected: " + expected + ")");
      }
      return; // no /proc: that something answers is all there is to know
    }
    List<Long> bound = listeners.inodes(path);
    if (bound.isEmpty()) {
      throw precondition(where + ": nothing listens on it (expected: " + expected + ")");
    }
    if (pid == 0) {
      // the listener's process could be known, and nothing says it is the instance's
      throw precondition(where + ": the instance registered pid 0, so the listener cannot be "
          + "checked as its own (expected: Register.pid set to the process id that listens, "
          + "or its ancestor)");
    }
    // the instance's own fds first: listing its descendants reads every process on the
    // machine (tens of ms on a busy one), and a server usually binds its socket itself
    Set<Long> ours = new HashSet<>(sockets.socketInodes(pid));
    if (holdsAny(ours, bound)) {
      return;
    }
    ProcessHandle.of(pid).ifPresent(p -> p.descendants()
        .forEach(d -> ours.addAll(sockets.socketInodes(d.pid()))));
    if (holdsAny(ours, bound)) {
      return;
    }
    OptionalLong owner = sockets.ownerOf(bound.get(0));
    PortHolders.Holder holder = owner.isPresent()
        ? new PortHolders.Holder(owner.getAsLong(), sockets.commandLine(owner.getAsLong()))
        : new PortHolders.Holder(0, "");
    throw precondition(where + ": held by " + holder.describe() + ", not by pid " + pid
        + " or its descendants (expected: " + expected + ")");
  }

  /**
   * The endpoint's {@code also_unix_path}, "" when it has none; INVALID_ARGUMENT naming it when
   * set on a Unix socket endpoint or not a usable socket path (the rule of {@code unix_path}).
   */
  static String checkAlsoUnixPath(String name, EndpointRequest e) {
    String path = e.getAlsoUnixPath();
    if (path.isEmpty()) {
      return path;
    }
    if (!e.getUnixPath().isEmpty()) {
      throw Names.invalid("endpoint %s also_unix_path: %s with unix_path %s (expected: "
          + "also_unix_path beside a TCP port only)", Names.quote(name), Names.quote(path),
          Names.quote(e.getUnixPath()));
    }
    return RegisterValidator.checkPathShape(name, "also_unix_path", path);
  }

  /** {@link #verify} of a TCP endpoint's {@code also_unix_path}, if it has one. */
  void verifyAlso(String step, Endpoint endpoint, long pid) {
    if (!endpoint.getAlsoUnixPath().isEmpty()) {
      verify(step, endpoint.getName(), "also_unix_path", endpoint.getAlsoUnixPath(), pid);
    }
  }

  private static boolean holdsAny(Set<Long> ours, List<Long> bound) {
    for (long inode : bound) {
      if (ours.contains(inode)) {
        return true;
      }
    }
    return false;
  }

  private static boolean connects(String path) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      return ch.connect(UnixDomainSocketAddress.of(path));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static StatusRuntimeException precondition(String description) {
    return Status.FAILED_PRECONDITION.withDescription(description).asRuntimeException();
  }
}
