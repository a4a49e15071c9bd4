package dev.berth.cli.internal;

import dev.berth.local.ServiceName;
import dev.berth.proto.v1.BerthHolder;
import dev.berth.proto.v1.ProcessInfo;
import dev.berth.proto.v1.WhoHasResponse;
import dev.berth.registry.internal.PortHolders;
import dev.berth.registry.internal.ProcessSockets;
import dev.berth.registry.internal.RegistryServer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one line {@code berth who PORT} prints: from the registry's {@code WhoHas} answer, or
 * from {@code /proc} alone when no registry runs, saying of a process what kind of listener it
 * recognisably is ({@link ListenerKinds}: a debugger agent, a Berth registry and whose). The
 * process's environment is read from {@code sockets} of this machine: the registry and the CLI
 * share one. Stateless beyond its two fields; thread-safe.
 */
final class WhoLine {

  /** The endpoint the registry names itself by in WhoHas, as {@code berth/registry}. */
  private static final String REGISTRY_ENDPOINT = "registry";

  private final ProcessSockets sockets;
  private final Path home;

  /** {@code home} is this CLI's state dir, which a registry found listening is compared with. */
  WhoLine(ProcessSockets sockets, Path home) {
    this.sockets = sockets;
    this.home = home;
  }

  /**
   * The line for the registry's answer. {@code debugMetadata} gives the {@code "debug"} metadata
   * of a holder's instance ({@code "jdwp"}, {@code "inspector"}), asked only for a
   * {@code debug} endpoint; empty when it has none or cannot be read.
   */
  String of(WhoHasResponse who, Function<BerthHolder, Optional<String>> debugMetadata) {
    int port = who.getPort();
    StringBuilder s = new StringBuilder("port ").append(port).append(": ");
    switch (who.getHolderCase()) {
      case BERTH:
        s.append(berth(port, who.getBerth(), debugMetadata));
        break;
      case RESERVED:
        s.append("reserved for ").append(holder(who.getReserved())).append(", not ready yet");
        break;
      case PROCESS:
        ProcessInfo p = who.getProcess();
        s.append(process(port, p.getPid(), p.getCommandLine()));
        break;
      case FREE:
      default:
        s.append("free");
        break;
    }
    // remembered_for is "service/endpoint[ in namespace NS]": said only when not the holder's own
    String holder = who.hasBerth() ? name(who.getBerth()) : who.hasReserved() ? name(who.getReserved()) : "";
    if (!who.getRememberedFor().isEmpty() && !who.getRememberedFor().equals(holder)) {
      s.append(" (remembered for ").append(who.getRememberedFor()).append(")");
    }
    return s.toString();
  }

  /** The line from {@code /proc} alone: who listens on {@code port}, or nobody. */
  String fromProc(int port) {
    Optional<PortHolders.Holder> found = new PortHolders(sockets).find(port);
    return "port " + port + ": "
        + found.map(h -> process(port, h.pid(), h.commandLine())).orElse("nothing listens on it");
  }

  private String berth(int port, BerthHolder h, Function<BerthHolder, Optional<String>> debugMetadata) {
    if (h.getService().equals(RegistryServer.SELF_SERVICE) && h.getEndpoint().equals(REGISTRY_ENDPOINT)) {
      // the registry asked about its own port: say whose state dir it serves
      Optional<ListenerKinds.ListenerKind> registry = ListenerKinds.of(sockets, h.getPid(), port, home)
          .filter(k -> k.kind() == ListenerKinds.Kind.BERTH_REGISTRY && k.stateDir().isPresent());
      if (registry.isPresent()) {
        return registry.get().describe();
      }
    }
    String line = holder(h);
    if (endpointOf(h).equals(DebugRuntime.ENDPOINT)) {
      line += debugAgent(port, h, debugMetadata);
    }
    return line;
  }

  /**
   * ": that instance's Java debug agent (JDWP)" (or Node inspector) for a {@code debug}
   * endpoint: from its lease's metadata, else from the process that holds the port (the child of
   * {@code berth run}, not the pid of the lease); empty when neither tells.
   */
  private String debugAgent(int port, BerthHolder h, Function<BerthHolder, Optional<String>> debugMetadata) {
    Optional<String> runtime = debugMetadata.apply(h);
    if (runtime.equals(Optional.of(DebugRuntime.JAVA.metadataValue()))) {
      return ": that instance's Java debug agent (JDWP)";
    }
    if (runtime.equals(Optional.of(DebugRuntime.NODE.metadataValue()))) {
      return ": that instance's Node inspector";
    }
    Optional<PortHolders.Holder> holder = new PortHolders(sockets).find(port);
    if (holder.isEmpty() || holder.get().pid() == 0) {
      return "";
    }
    long pid = holder.get().pid();
    Optional<ListenerKinds.Kind> kind = ListenerKinds.of(sockets, pid, port, home)
        .map(ListenerKinds.ListenerKind::kind)
        .filter(k -> k != ListenerKinds.Kind.BERTH_REGISTRY);
    if (kind.isEmpty()) {
      return "";
    }
    String what = kind.get() == ListenerKinds.Kind.JDWP_AGENT ? "Java debug agent (JDWP)" : "Node inspector";
    return ": that instance's " + what + (pid == h.getPid() ? "" : ", in pid " + pid);
  }

  private String process(int port, long pid, String commandLine) {
    if (pid == 0) {
      return "held by a process outside Berth (pid unknown: another user's?)";
    }
    Optional<ListenerKinds.ListenerKind> kind =
        ListenerKinds.of(commandLine, sockets.environment(pid), pid, port, home);
    if (kind.isPresent() && kind.get().kind() == ListenerKinds.Kind.BERTH_REGISTRY) {
      return kind.get().describe(); // Berth's own, not "outside Berth"; its command line is a JVM's mile
    }
    StringBuilder s = new StringBuilder("held by pid ").append(pid).append(" outside Berth");
    if (!commandLine.isEmpty()) {
      s.append(": ").append(commandLine);
    }
    kind.ifPresent(k -> s.append(" (").append(k.describe()).append(")"));
    return s.toString();
  }

  private static String endpointOf(BerthHolder h) {
    return h.getEndpoint().isEmpty() ? ServiceName.MAIN : h.getEndpoint();
  }

  /** "orders/main", or "orders/main in namespace shop-1a2b3c" outside the default namespace. */
  private static String name(BerthHolder h) {
    return h.getService() + "/" + endpointOf(h)
        + (h.getNamespace().isEmpty() ? "" : " in namespace " + h.getNamespace());
  }

  private static String holder(BerthHolder h) {
    return name(h) + ", instance " + h.getInstanceId()
        + (h.getPid() == 0 ? "" : " (pid " + h.getPid() + ")");
  }
}
