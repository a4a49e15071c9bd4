package dev.berth.cli.internal.stack;

import dev.berth.cli.internal.CliException;
import dev.berth.cli.internal.ProcessTree;
import dev.berth.cli.internal.stack.ServiceInstance.State;
import java.time.Duration;
import java.util.Locale;

/**
 * The life of one instance, on a thread of its own: wait for its dependencies to be live (again
 * after each restart: the gate holds through restarts), start it, wait for its exit (from the
 * exit itself: {@link Process#waitFor}, no polling), and restart it per its policy on the same
 * ports (sticky berths: nothing is held in between), until it is failed, stopped or the stack
 * stops. Its dependents are never restarted with it.
 */
final class InstanceLoop implements Runnable {

  private final Launch launch;
  private final ServiceInstance i;
  private final RestartBackoff backoff;

  InstanceLoop(Launch launch, ServiceInstance i) {
    this.launch = launch;
    this.i = i;
    this.backoff = new RestartBackoff(i.spec.restart(), System::nanoTime);
  }

  @Override
  public void run() {
    StackBoard board = launch.board();
    long restartsSeen = 0;
    try {
      while (board.awaitWanted(i)) {
        long stops = board.read(() -> i.stops);
        long asked = board.read(() -> i.restartRequests);
        if (asked != restartsSeen) {
          restartsSeen = asked;
          backoff.reset();
        }
        if (!board.awaitDependencies(i, stops)) {
          stopped(stops);
          continue;
        }
        if (!once(stops)) {
          stopped(stops);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    board.change(() -> {
      if (i.state != State.FAILED && i.state != State.EXITED) {
        i.state = State.STOPPED;
        i.detail = "";
        i.since = java.time.Instant.now();
      }
      i.process = null;
    });
  }

  /** One run and what follows it; false when it ended because a stop was asked for. */
  private boolean once(long stops) throws InterruptedException {
    StackBoard board = launch.board();
    board.set(i, State.STARTING, "");
    long started = System.nanoTime();
    Run run;
    try {
      run = i.spec.lease() == ServiceSpec.LeaseMode.SELF
          ? SelfStart.start(launch, i, stops)
          : RunnerStart.start(launch, i, stops);
    } catch (CliException | IllegalArgumentException | IllegalStateException
        | java.io.UncheckedIOException e) {
      return after(stops, null, e.getMessage(), started);
    } catch (dev.berth.client.BerthException e) {
      return after(stops, null, "the registry refused its lease: " + e.getMessage(), started);
    }
    Process p = run.process();
    // a RUNNER lease went live only after its check (RunnerStart); a SELF one is the program's own
    if (run.isLive() && i.spec.ready().isPresent() && i.spec.lease() == ServiceSpec.LeaseMode.SELF) {
      String notReady = ready(run);
      if (!notReady.isEmpty()) {
        ProcessTree.stop(p.toHandle(), Supervisor.GRACE);
        p.waitFor();
        run.cleanup().run();
        board.change(() -> i.process = null);
        return after(stops, p, notReady, started);
      }
    }
    if (run.isLive()) {
      board.change(() -> {
        i.address = run.address();
        i.state = State.LIVE;
        i.detail = "";
        i.since = java.time.Instant.now();
      });
      launch.out().event(i.spec.name(), i.index, "live on " + run.address() + " (pid " + p.pid() + ")");
    } else if (p != null && p.isAlive()) {
      ProcessTree.stop(p.toHandle(), Supervisor.GRACE);
    }
    if (p != null) {
      p.waitFor();
      // not live from here on (stack.json, berth ps, the dashboard, a dependent's gate): the
      // process is gone though the stop of what it started below may take up to GRACE, and the
      // backoff, failed or exited state comes only when after() decides
      board.change(() -> {
        if (i.state == State.LIVE || i.state == State.STARTING) {
          i.state = State.STOPPING;
          i.detail = "exited; stopping what it started";
          i.since = java.time.Instant.now();
        }
      });
      // what it started may outlive it (sh -c 'server & wait', a wrapper script): stopped now,
      // so that nothing holds the port it comes back on
      ProcessTree.stop(p.toHandle(), Supervisor.GRACE);
    }
    run.cleanup().run(); // the lease ends the moment the process has
    board.change(() -> {
      i.address = null;
      i.process = null;
    });
    return after(stops, p, run.isLive() ? null : failure(run), started);
  }

  /** The service's ready check against the endpoint it names (default: the first); "" passed. */
  private String ready(Run run) throws InterruptedException {
    ServiceSpec.ReadyCheck check = i.spec.ready().get();
    String first = i.spec.endpoints().get(0);
    dev.berth.client.Address address = run.address();
    if (check.endpoint() != null && !check.endpoint().isEmpty() && !check.endpoint().equals(first)) {
      Integer port = launch.board().read(() -> i.ports.get(check.endpoint()));
      if (port != null) {
        address = dev.berth.client.Address.tcp(address.host(), port);
      }
    }
    return ReadyProbe.await(check, address, run.process());
  }

  private static String failure(Run run) {
    return run.failure() != null ? run.failure() : "";
  }

  /**
   * After a run ended: {@code notLive} null when it had been live, "" when it exited before it
   * was, else why it was given up.
   */
  private boolean after(long stops, Process p, String notLive, long started) throws InterruptedException {
    StackBoard board = launch.board();
    if (board.isShutdown() || board.read(() -> i.stops) != stops) {
      return false;
    }
    Duration ran = Duration.ofNanos(System.nanoTime() - started);
    int code = p == null || p.isAlive() ? -1 : p.exitValue();
    // the JDK reports a death by signal N as 128 + N
    int signal = code > 128 && code < 128 + 65 ? code - 128 : 0;
    String how;
    if (notLive != null && !notLive.isEmpty()) {
      how = notLive;
    } else if (signal != 0) {
      how = "killed by signal " + signal + " (after " + seconds(ran) + ")";
    } else {
      how = "exited with code " + code + " (after " + seconds(ran) + ")";
    }
    if (notLive != null && notLive.isEmpty()) {
      how += " before it was live";
    }
    boolean failed = notLive != null || code != 0;
    board.change(() -> {
      i.lastExit = signal != 0 ? -1 : code;
      i.lastSignal = signal;
    });
    RestartBackoff.Decision d = backoff.after(failed, ran);
    switch (d.kind()) {
      case CRASH_LOOP:
        String loop = "crash loop: " + i.spec.restart().maxRestarts() + " restarts in "
            + i.spec.restart().window().toSeconds() + " s";
        launch.out().event(i.spec.name(), i.index, how + "; " + loop + ", left failed (berth restart "
            + i.spec.name() + " to try again)");
        giveUp(State.FAILED, loop);
        return true;
      case NO_RESTART:
        launch.out().event(i.spec.name(), i.index, how + (failed ? "; not restarted (restart: "
            + i.spec.restart().mode().name().toLowerCase(Locale.ROOT).replace('_', '-') + ")" : ""));
        giveUp(failed ? State.FAILED : State.EXITED, how);
        return true;
      case RESTART:
      default:
        launch.out().event(i.spec.name(), i.index, how + "; restarting in " + seconds(d.delay())
            + " on the same port");
        board.set(i, State.BACKOFF, "restarting in " + seconds(d.delay()));
        if (!board.sleep(i, d.delay(), stops)) {
          return false;
        }
        board.change(() -> i.restarts++);
        return true;
    }
  }

  private void giveUp(State state, String detail) {
    launch.board().change(() -> {
      i.state = state;
      i.detail = detail;
      i.since = java.time.Instant.now();
      i.wanted = false;
    });
  }

  private void stopped(long stops) {
    launch.board().change(() -> {
      if (i.state != State.STOPPED) {
        i.state = State.STOPPED;
        i.detail = "";
        i.since = java.time.Instant.now();
      }
    });
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
