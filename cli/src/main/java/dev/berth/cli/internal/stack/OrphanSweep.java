package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.CliException;
import dev.berth.cli.internal.ProcessTree;
import dev.berth.local.internal.ProcStat;
import dev.berth.local.internal.StackStateFile;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code berth up} does first with the stack.json of a previous run: a supervisor that
 * still runs (pid and start ticks both match) means the stack is up, and nothing is started;
 * otherwise that supervisor was killed, and every process it recorded that still runs (same pid
 * and start ticks: a reused pid is never signalled) is stopped, tree and all, so that each
 * service comes back on its own remembered port instead of finding its orphan there. Runs on
 * the caller's thread; stops the orphans in parallel.
 */
public final class OrphanSweep {

  private OrphanSweep() {}

  /**
   * Fails when the stack.json in {@code file} names a supervisor that still runs (for
   * {@code berth up -d}, before it starts a second one).
   *
   * @throws CliException naming the running supervisor
   */
  public static void refuseIfUp(StackStateFile file) {
    try {
      file.read().ifPresent(OrphanSweep::refuseIfUp);
    } catch (IOException e) {
      // unreadable: the supervisor it starts sweeps what it can
    }
  }

  private static void refuseIfUp(StackState state) {
    if (!state.getStopped() && ProcStat.runs(state.getSupervisorPid(), state.getSupervisorStartTicks())
        && state.getSupervisorPid() != ProcessHandle.current().pid()) {
      throw CliException.failure("stack " + state.getNamespace() + " is already up (supervisor pid "
          + state.getSupervisorPid() + "): berth ps / berth down");
    }
  }

  /**
   * @throws CliException naming the running supervisor when the stack is already up
   */
  static void sweep(StackStateFile file, StackOutput out) throws InterruptedException {
    Optional<StackState> last;
    try {
      last = file.read();
    } catch (IOException e) {
      return; // a torn or foreign file names no process we could trust
    }
    if (last.isEmpty()) {
      return;
    }
    StackState state = last.get();
    refuseIfUp(state);
    List<Thread> stoppers = new ArrayList<>();
    for (StackProcess p : state.getProcessesList()) {
      if (!ProcStat.sameProcess(p.getPid(), p.getStartTicks())) {
        continue;
      }
      Optional<ProcessHandle> handle = ProcessHandle.of(p.getPid());
      if (handle.isEmpty()) {
        continue;
      }
      out.event(p.getService(), p.getInstance(), "stopping pid " + p.getPid()
          + ", left running by a supervisor that is gone (pid " + state.getSupervisorPid() + ")");
      Thread t = new Thread(() -> ProcessTree.stop(handle.get(), Supervisor.GRACE),
          "berth-up-orphan-" + p.getPid());
      t.start();
      stoppers.add(t);
    }
    for (Thread t : stoppers) {
      t.join();
    }
  }
}
