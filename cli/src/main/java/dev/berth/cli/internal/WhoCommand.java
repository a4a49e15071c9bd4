package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.client.BerthException;
import dev.berth.proto.v1.BerthHolder;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.WhoHasRequest;
import dev.berth.proto.v1.WhoHasResponse;
import dev.berth.registry.internal.ProcessSockets;
import io.grpc.Status;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code berth who PORT}: the Berth instance, reservation or foreign process on a port, or
 * free, and what kind of listener a process recognisably is (a debugger agent, a registry of
 * this or another state dir: {@link ListenerKinds}); the line itself is {@link WhoLine}'s.
 */
@Command(name = "who", mixinStandardHelpOptions = true,
    description = "Say who holds a port: a Berth instance, a reservation, another process "
        + "(pid and command line, and whether it is a Java debug agent, a Node inspector or a "
        + "Berth registry of another state dir), or nobody; and which service it is remembered "
        + "for. Without a registry, what /proc shows.")
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
    WhoLine line = new WhoLine(ProcessSockets.system(), ctx.home());
    String answer;
    try (Berth berth = ctx.connect()) {
      WhoHasResponse who = ctx.ask(berth, stub -> stub.whoHas(WhoHasRequest.newBuilder().setPort(port).build()));
      answer = line.of(who, holder -> debugMetadata(ctx, berth, holder));
    } catch (RuntimeException e) {
      // a registry.json left behind by a registry that is gone (kill -9, a reboot)
      Status.Code code = unreachable(e);
      if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
        throw e;
      }
      return fromProc(ctx, "no Berth registry answers (state dir " + ctx.home() + ")");
    }
    ctx.out().println(answer);
    ctx.out().flush();
    return 0;
  }

  /** The "debug" metadata of the holder's instance (List, in its namespace); empty when none or on any failure. */
  private static Optional<String> debugMetadata(CliContext ctx, Berth berth, BerthHolder holder) {
    ListRequest request = holder.getNamespace().isEmpty()
        ? ListRequest.newBuilder().setDefaultOnly(true).build()
        : ListRequest.newBuilder().setNamespace(holder.getNamespace()).build();
    try {
      for (Instance i : ctx.ask(berth, stub -> stub.list(request)).getInstancesList()) {
        if (i.getInstanceId().equals(holder.getInstanceId())) {
          return Optional.ofNullable(i.getMetadataMap().get(DebugRuntime.METADATA_KEY));
        }
      }
    } catch (RuntimeException e) {
      // WhoHas answered: a line without the agent's kind beats no line
    }
    return Optional.empty();
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
    ProcessSockets sockets = ProcessSockets.system();
    if (!sockets.available()) {
      throw CliException.failure(why + ", and this system has no /proc to look at port " + port
          + " in: start a registry with 'berth registry start'");
    }
    ctx.err().println("berth: " + why + "; this is what /proc shows (no reservations or "
        + "remembered berths)");
    ctx.err().flush();
    ctx.out().println(new WhoLine(sockets, ctx.home()).fromProc(port));
    ctx.out().flush();
    return 0;
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
