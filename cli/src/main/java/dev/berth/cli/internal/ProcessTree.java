package dev.berth.cli.internal;

import dev.berth.local.internal.ProcStat;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a process and everything it started: SIGTERM to its process group, a grace period, then
 * SIGKILL to the group and to every descendant still alive (one may have left the group with
 * its own {@code setsid}). The JDK signals one pid at a time only, so the group's signals go
 * through {@code kill -SIG -PGID} of {@code sh}. Waits on {@link ProcessHandle#onExit}, never
 * by polling. Stateless; safe from any thread.
 */
public final class ProcessTree {

  private static final Duration KILL_WAIT = Duration.ofSeconds(2);

  private ProcessTree() {}

  /**
   * Stops {@code leader}'s tree: SIGTERM, up to {@code grace} for the leader and every
   * descendant to exit, then SIGKILL. Returns once they are gone (or, at most, {@code grace} and
   * 2 s later). Harmless on a process that has exited.
   */
  public static void stop(ProcessHandle leader, Duration grace) {
    Set<ProcessHandle> tree = tree(leader);
    if (tree.stream().noneMatch(ProcessHandle::isAlive)) {
      return;
    }
    signal(leader, "TERM");
    // a descendant that left the group (its own setsid) gets its SIGTERM too, and its grace
    tree.stream().filter(p -> p != leader && !inGroup(p, leader.pid())).forEach(ProcessHandle::destroy);
    if (!awaitExit(tree, grace)) {
      tree.addAll(tree(leader)); // children forked while it was stopping
      kill(leader, tree);
    }
  }

  /** SIGKILL to {@code leader}'s group and every descendant, at once (a second Ctrl-C). */
  public static void kill(ProcessHandle leader) {
    kill(leader, tree(leader));
  }

  private static void kill(ProcessHandle leader, Set<ProcessHandle> tree) {
    signal(leader, "KILL");
    tree.forEach(ProcessHandle::destroyForcibly);
    awaitExit(tree, KILL_WAIT);
  }

  /**
   * The leader, its descendants and the other members of its process group, as they are now. The
   * group matters once the leader has exited: {@code sh -c 'server & wait'} killed leaves the
   * server, reparented to init, in the group (and the kernel does not hand the group's id to a new
   * process while a member lives, so signalling it reaches only the leader's own).
   */
  private static Set<ProcessHandle> tree(ProcessHandle leader) {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    tree.add(leader);
    leader.descendants().forEach(tree::add);
    long pgid = leader.pid();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != pgid && inGroup(p, pgid))
        .forEach(tree::add);
    return tree;
  }

  private static boolean inGroup(ProcessHandle p, long pgid) {
    return ProcStat.processGroup(p.pid()).orElse(-1) == pgid;
  }

  private static boolean awaitExit(Set<ProcessHandle> tree, Duration timeout) {
    List<CompletableFuture<ProcessHandle>> exits = tree.stream().map(ProcessHandle::onExit).toList();
    try {
      CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * {@code signal} to {@code leader}'s process group when it leads one (a child started through
   * {@code setsid}), else to {@code leader} alone.
   */
  public static void signal(ProcessHandle leader, String signal) {
    long pid = leader.pid();
    // a leader that has exited still names its group while members are left in it
    boolean leads = leader.isAlive()
        ? ProcStat.processGroup(pid).orElse(-1) == pid
        : ProcessHandle.allProcesses().anyMatch(p -> inGroup(p, pid));
    String target = leads ? "-" + pid : Long.toString(pid);
    try {
      // dash's kill takes "-SIG -PGID" (it has no "--")
      new ProcessBuilder("sh", "-c", "kill -" + signal + " " + target)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(2, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no sh: the JDK's own signals, to the leader only
      if (signal.equals("KILL")) {
        leader.destroyForcibly();
      } else {
        leader.destroy();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
