package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.proto.v1.BerthHolder;
import dev.berth.proto.v1.ProcessInfo;
import dev.berth.proto.v1.WhoHasRequest;
import dev.berth.proto.v1.WhoHasResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code berth who PORT}: the Berth instance, reservation or foreign process on a port, or free. */
@Command(name = "who", mixinStandardHelpOptions = true,
    description = "Say who holds a port: a Berth instance, a reservation, another process "
        + "(pid and command line), or nobody; and which service it is remembered for.")
public final class WhoCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "PORT", description = "1..65535")
  int port;

  @Override
  public Integer call() {
    if (port < 1 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "port " + port + " (expected: 1..65535)");
    }
    CliContext ctx = ctx();
    WhoHasResponse who;
    try (Berth berth = ctx.connect()) {
      who = ctx.ask(berth, stub -> stub.whoHas(WhoHasRequest.newBuilder().setPort(port).build()));
    }
    ctx.out().println(describe(who));
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
        if (p.getPid() == 0) {
          s.append("held by a process outside Berth (pid unknown: another user's?)");
        } else {
          s.append("held by pid ").append(p.getPid()).append(" outside Berth");
          if (!p.getCommandLine().isEmpty()) {
            s.append(": ").append(p.getCommandLine());
          }
        }
        break;
      case FREE:
      default:
        s.append("free");
        break;
    }
    String holder = who.hasBerth()
        ? who.getBerth().getService() + "/" + endpointOf(who.getBerth())
        : who.hasReserved() ? who.getReserved().getService() + "/" + endpointOf(who.getReserved()) : "";
    if (!who.getRememberedFor().isEmpty() && !who.getRememberedFor().equals(holder)) {
      s.append(" (remembered for ").append(who.getRememberedFor()).append(")");
    }
    return s.toString();
  }

  private static String endpointOf(BerthHolder h) {
    return h.getEndpoint().isEmpty() ? ServiceTarget.MAIN : h.getEndpoint();
  }

  private static String holder(BerthHolder h) {
    return h.getService() + "/" + endpointOf(h) + ", instance " + h.getInstanceId()
        + (h.getPid() == 0 ? "" : " (pid " + h.getPid() + ")");
  }
}
