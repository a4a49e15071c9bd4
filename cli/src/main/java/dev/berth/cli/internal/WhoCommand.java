package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.client.BerthException;
import dev.berth.local.ServiceName;
import dev.berth.proto.v1.BerthHolder;
import dev.berth.proto.v1.ProcessInfo;
import dev.berth.proto.v1.WhoHasRequest;
import dev.berth.proto.v1.WhoHasResponse;
import dev.berth.registry.internal.PortHolders;
import io.grpc.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth who PORT}: the Berth instance, reservation or foreign process on a port, or free. */
@Command(name = "who", mixinStandardHelpOptions = true,
    description = "Say who holds a port: a Berth instance, a reservation, another process "
        + "(pid and command line, and whether it is a Java debug agent or a Node inspector), "
        + "or nobody; and which service it is remembered for. Without a registry, what /proc "
        + "shows.")
public final class WhoCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "PORT", description = "1..65535")
  String portText; // parsed here, so that 'http' gets the same one line as 70000

  private int port;

  @Override
  public Integer call() {
    port = parsePort(portText);
    CliContext ctx = ctx();
    if (ctx.registryOverride().isEmpty() && ctx.registryFile().isEmpty()) {
      return fromProc(ctx, "no Berth registry runs (no registry.json in " + ctx.home() + ")");
    }
    WhoHasResponse who;
    try (Berth berth = ctx.connect()) {
      who = ctx.ask(berth, stub -> stub.whoHas(WhoHasRequest.newBuilder().setPort(port).build()));
    } catch (RuntimeException e) {
      // a registry.json left behind by a registry that is gone (kill -9, a reboot)
      Status.Code code = unreachable(e);
      if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
        throw e;
      }
      return fromProc(ctx, "no Berth registry answers (state dir " + ctx.home() + ")");
    }
    ctx.out().println(describe(who));
    ctx.out().flush();
    return 0;
  }

  private static Status.Code unreachable(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BerthException) {
        return ((BerthException) t).status().getCode();
      }
    }
    return Status.fromThrowable(e).getCode();
  }

  /**
   * Without a registry, what {@code /proc} shows: exactly when someone investigates a port (a
   * debugger that will not attach, say), "no registry" alone would be no answer.
   */
  private int fromProc(CliContext ctx, String why) {
    PortHolders holders = PortHolders.system();
    if (!holders.available()) {
      throw CliException.failure(why + ", and this system has no /proc to look at port " + port
          + " in: start a registry with 'berth registry start'");
    }
    ctx.err().println("berth: " + why + "; this is what /proc shows (no reservations or "
        + "remembered berths)");
    ctx.err().flush();
    StringBuilder s = new StringBuilder("port ").append(port).append(": ");
    holders.find(port).ifPresentOrElse(
        h -> process(s, h.pid(), h.commandLine()),
        () -> s.append("nothing listens on it"));
    ctx.out().println(s);
    ctx.out().flush();
    return 0;
  }

  static String describe(WhoHasResponse who) {
    StringBuilder s = new StringBuilder("port ").append(who.getPort()).append(": ");
    switch (who.getHolderCase()) {
      case BERTH:
        s.append(holder(who.getBerth()));
        break;
      case RESERVED:
        s.append("reserved for ").append(holder(who.getReserved())).append(", not ready yet");
        break;
      case PROCESS:
        ProcessInfo p = who.getProcess();
        process(s, p.getPid(), p.getCommandLine());
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

  private static void process(StringBuilder s, long pid, String commandLine) {
    if (pid == 0) {
      s.append("held by a process outside Berth (pid unknown: another user's?)");
      return;
    }
    s.append("held by pid ").append(pid).append(" outside Berth");
    if (!commandLine.isEmpty()) {
      s.append(": ").append(commandLine);
      String agent = debugAgent(commandLine);
      if (!agent.isEmpty()) {
        s.append(" (").append(agent).append(")");
      }
    }
  }

  /** "a Java debug agent (JDWP)" or "a Node inspector" when the command line starts one; else empty. */
  static String debugAgent(String commandLine) {
    for (String arg : commandLine.split(" ")) {
      if (arg.startsWith("-agentlib:jdwp") || arg.startsWith("-Xrunjdwp")) {
        return "a Java debug agent (JDWP)";
      }
      if (arg.equals("--inspect") || arg.startsWith("--inspect=") || arg.startsWith("--inspect-brk")) {
        return "a Node inspector";
      }
    }
    return "";
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

  private int parsePort(String text) {
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new ParameterException(spec.commandLine(), "port '" + text + "' (expected: a number, 1..65535)");
    }
    if (value < 1 || value > 65535) {
      throw new ParameterException(spec.commandLine(), "port " + value + " (expected: 1..65535)");
    }
    return value;
  }
}
