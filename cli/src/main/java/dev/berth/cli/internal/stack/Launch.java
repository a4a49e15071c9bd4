package dev.berth.cli.internal.stack;

import dev.berth.client.Berth;
import dev.berth.local.internal.ProcStat;
import dev.berth.registry.internal.PortHolders;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * What every start of an instance needs: the registry client (in the stack's namespace), the
 * board, the output, and how long a process may take to come up. Immutable.
 *
 * @param startTimeout how long a process may take to listen on its port (the supervisor's lease)
 *     or to be live in the registry (a service that registers itself)
 * @param diagnostics where a line goes that belongs to no service (no /proc)
 */
record Launch(Berth berth, String namespace, StackBoard board, StackEnv env, StackOutput out,
    PortHolders holders, Duration startTimeout, PrintWriter diagnostics) {

  /**
   * Makes {@code process} the running process of {@code i}, unless a stop was asked for since
   * {@code stops} was read (then false, and the caller stops it).
   */
  boolean adopt(ServiceInstance i, Process process, long stops) {
    boolean[] adopted = {false};
    board.change(() -> {
      if (board.isShutdown() || i.stops != stops) {
        return;
      }
      i.process = process;
      i.startTicks = ProcStat.startTicks(process.pid()).orElse(0);
      adopted[0] = true;
    });
    return adopted[0];
  }
}
