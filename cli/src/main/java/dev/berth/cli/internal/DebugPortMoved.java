package dev.berth.cli.internal;

import dev.berth.client.Berth;
import dev.berth.client.InternalBerth;
import dev.berth.proto.v1.BerthsRequest;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.StickyBerth;
import dev.berth.proto.v1.WhoHasRequest;
import dev.berth.proto.v1.WhoHasResponse;
import dev.berth.registry.internal.PortHolders;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The one line {@code berth run} and {@code berth up} print when the {@code debug} port of a
 * service moves because another process holds its remembered one: that port is meant to be the
 * same every run, and the IDE files {@code berth debug} wrote name the old one, so the move is
 * said loudly, with the fix. Moving (rather than failing) keeps the service starting; the new
 * port is the one remembered once it goes live. Two ways it moves: the registry finds the
 * remembered berth held when the lease attaches and assigns another ({@link #atAttach}), or a
 * process takes it between the attach and the agent's bind (the one restart on a new port,
 * {@link #line}).
 */
public final class DebugPortMoved {

  private static final long RPC_DEADLINE_SECONDS = 5;

  private DebugPortMoved() {}

  /** "debug port moved P -> Q (held by HOLDER): rerun berth debug SERVICE --intellij/--vscode". */
  public static String line(int taken, int next, String holder, String service) {
    return "debug port moved " + taken + " -> " + next + " (held by " + holder + "): rerun berth debug "
        + service + " --intellij/--vscode";
  }

  /**
   * The {@link #line} for a lease of {@code service} in {@code namespace} ("" the default) that
   * was assigned {@code assigned} for {@code debug} while a remembered debug berth of it is held
   * by a process outside Berth (a remembered berth another instance of the service holds is no
   * move: a second instance gets the next one); empty otherwise, and when the registry cannot
   * say (an older one): a check that cannot be made is no reason to fail the start. Two calls to
   * the registry; on the caller's thread.
   */
  public static Optional<String> atAttach(Berth berth, String namespace, String service, int assigned) {
    try {
      RegistryGrpc.RegistryBlockingStub stub = InternalBerth.registryStub(berth);
      for (StickyBerth b : stub.withDeadlineAfter(RPC_DEADLINE_SECONDS, TimeUnit.SECONDS)
          .berths(BerthsRequest.getDefaultInstance()).getBerthsList()) {
        if (!b.getService().equals(service) || !b.getEndpoint().equals(DebugRuntime.ENDPOINT)
            || !b.getNamespace().equals(namespace) || b.getPortsList().contains(assigned)) {
          continue;
        }
        for (int port : b.getPortsList()) {
          WhoHasResponse who = stub.withDeadlineAfter(RPC_DEADLINE_SECONDS, TimeUnit.SECONDS)
              .whoHas(WhoHasRequest.newBuilder().setPort(port).build());
          if (who.getHolderCase() == WhoHasResponse.HolderCase.PROCESS) {
            String holder = new PortHolders.Holder(who.getProcess().getPid(),
                who.getProcess().getCommandLine()).describe();
            return Optional.of(line(port, assigned, holder, service));
          }
        }
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
