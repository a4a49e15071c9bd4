package dev.berth.registry.internal;

import dev.berth.local.DnsLabel;
import dev.berth.local.internal.ControlClient;
import dev.berth.local.internal.ControlProtocol;
import dev.berth.local.internal.StackStateFile;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's {@code stacks} event and its stop and restart actions ({@code
 * docs/dashboard.md}), from the stacks {@code berth up} runs in this state dir: each stack's
 * {@code stacks/<namespace>/stack.json}, believed only while its supervisor still runs (the
 * recorded pid with the recorded start time, as {@code berth ps} decides), its services' log
 * files, and its supervisor's control socket.
 *
 * <pre>{@code
 * DashboardStacks stacks = new DashboardStacks(stateDir);
 * String event = stacks.json(true);           // every running stack, with log tails
 * stacks.act("restart", "shop-1a2b", "orders"); // what `berth restart orders` does there
 * }</pre>
 *
 * <p>Cheap enough for once a second: a stat of each stack.json (a stack whose supervisor is gone
 * is not parsed again until its file is replaced), a parse of each running stack's and a read
 * of its supervisor's {@code /proc/PID/stat}, and for an owner at most {@value
 * LogTail#MAX_BYTES} bytes from the end of each service's log. Nothing is spawned.
 *
 * <p>Thread-safe. {@link #act} blocks until the supervisor answers (a restart waits out its
 * process's grace period), at most the action timeout; call it off any event loop.
 */
final class DashboardStacks {

  /** A stop or restart waits out SIGTERM's 5 s grace, the SIGKILL and the exit: this fits them. */
  static final Duration ACT_TIMEOUT = Duration.ofSeconds(30);
  /** The log lines of a service an owner's event carries. */
  static final int LOG_LINES = 20;

  private final Path stateDir;
  private final Duration actTimeout;
  /** By namespace, the stack.json last found with its supervisor gone (or unreadable). */
  private final Map<String, Stamp> dead = new ConcurrentHashMap<>();

  DashboardStacks(Path stateDir) {
    this(stateDir, ACT_TIMEOUT);
  }

  DashboardStacks(Path stateDir, Duration actTimeout) {
    this.stateDir = stateDir;
    this.actTimeout = actTimeout;
  }

  /**
   * The event {@code stacks}: a JSON array of every stack whose supervisor runs, by namespace,
   * each with its processes; {@code log} keys only when {@code owner}.
   */
  String json(boolean owner) {
    StringBuilder out = new StringBuilder("[");
    for (StackState stack : running()) {
      out.append(out.length() > 1 ? "," : "");
      StacksJson.stack(out, stack, owner ? logTails(stack) : null);
    }
    return out.append(']').toString();
  }

  /**
   * Stops or restarts every instance of {@code service} of the running stack {@code namespace},
   * through its supervisor, as {@code berth stop} or {@code berth restart} there would.
   *
   * @throws IllegalArgumentException {@code verb} is not {@code stop} or {@code restart}, or a
   *     name is not a DNS label
   * @throws NoSuchElementException no such stack runs, or it has no such service
   * @throws IllegalStateException the supervisor refused, or did not answer within the timeout
   */
  void act(String verb, String namespace, String service) {
    if (!ControlProtocol.RESTART.equals(verb) && !ControlProtocol.STOP.equals(verb)) {
      throw new IllegalArgumentException("action: '" + verb + "' (expected: " + ControlProtocol.RESTART
          + " or " + ControlProtocol.STOP + ")");
    }
    DnsLabel.check("namespace", namespace);
    DnsLabel.check("service", service);
    StackStateFile file = StackStateFile.of(stateDir, namespace);
    StackState state = read(file).orElseThrow(() -> new NoSuchElementException("stack '" + namespace
        + "' is not up (no " + file.path() + "): 'berth up' in its directory starts it"));
    if (!StackStateFile.supervisorRuns(state)) {
      throw new NoSuchElementException("stack '" + namespace + "' is not running (its supervisor pid "
          + state.getSupervisorPid() + " is gone): 'berth up' in its directory starts it again");
    }
    if (state.getProcessesList().stream().noneMatch(p -> p.getService().equals(service))) {
      throw new NoSuchElementException("service '" + service + "' is not in stack '" + namespace
          + "' (expected one of " + services(state) + ")");
    }
    ControlClient control = ControlClient.of(file.controlSocket(state), actTimeout);
    try {
      if (verb.equals(ControlProtocol.RESTART)) {
        control.restart(service);
      } else {
        control.stop(service);
      }
    } catch (IllegalArgumentException e) {
      // the names were checked above: the supervisor knows no such service (stack.json was older)
      throw new NoSuchElementException("stack '" + namespace + "': " + e.getMessage());
    } catch (IllegalStateException e) {
      throw new IllegalStateException(verb + " " + service + " in stack '" + namespace + "': "
          + e.getMessage(), e);
    }
  }

  /** Every stack of the state dir whose supervisor runs, by namespace. */
  private List<StackState> running() {
    List<String> namespaces = new ArrayList<>();
    try (DirectoryStream<Path> stacks = Files.newDirectoryStream(stateDir.resolve(StackStateFile.STACKS))) {
      for (Path dir : stacks) {
        String namespace = dir.getFileName().toString();
        if (DnsLabel.isLabel(namespace)) { // else not a stack's dir
          namespaces.add(namespace);
        }
      }
    } catch (IOException e) {
      // none yet (no stack has run here), or unreadable: no stacks, rather than a failed stream
    }
    namespaces.sort(null);
    dead.keySet().retainAll(namespaces);
    List<StackState> running = new ArrayList<>();
    for (String namespace : namespaces) {
      runningState(StackStateFile.of(stateDir, namespace)).ifPresent(running::add);
    }
    return running;
  }

  /**
   * The file's state while its supervisor runs; empty when there is none, it cannot be read, or
   * its supervisor is gone. A supervisor once gone stays gone (its pid and start time name one
   * process for good), so that file is not parsed again until it is replaced: the stacks dir
   * keeps the dir of every stack ever run here, and the dashboard asks once a second.
   */
  private Optional<StackState> runningState(StackStateFile file) {
    String namespace = file.dir().getFileName().toString();
    Stamp stamp;
    try {
      stamp = Stamp.of(Files.readAttributes(file.path(), BasicFileAttributes.class));
    } catch (IOException e) {
      dead.remove(namespace);
      return Optional.empty();
    }
    if (stamp.equals(dead.get(namespace))) {
      return Optional.empty();
    }
    Optional<StackState> state;
    try {
      state = file.read();
    } catch (IOException e) {
      state = Optional.empty(); // not a stack state (AtomicFile never leaves half of one)
    }
    if (state.isPresent() && StackStateFile.supervisorRuns(state.get())) {
      return state;
    }
    // read after the stamp: a file replaced in between has a newer stamp, and is read again
    dead.put(namespace, stamp);
    return Optional.empty();
  }

  /** Each service's last {@link #LOG_LINES} log lines; a service of several instances is read once. */
  private Map<String, List<String>> logTails(StackState stack) {
    Path logs = StackStateFile.of(stateDir, stack.getNamespace()).logsDir();
    Map<String, List<String>> tails = new HashMap<>();
    for (StackProcess p : stack.getProcessesList()) {
      String service = p.getService();
      if (!DnsLabel.isLabel(service) || tails.containsKey(service)) {
        continue; // never a path outside logs/
      }
      try {
        tails.put(service, LogTail.last(logs.resolve(service + StackStateFile.LOG_SUFFIX),
            logs.resolve(service + StackStateFile.ROTATED_LOG_SUFFIX), LOG_LINES, LogTail.MAX_BYTES));
      } catch (IOException e) {
        tails.put(service, List.of());
      }
    }
    return tails;
  }

  private static Optional<StackState> read(StackStateFile file) {
    try {
      return file.read();
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage() + ": 'berth down' and 'berth up' in its directory"
          + " write it anew", e);
    }
  }

  private static List<String> services(StackState state) {
    return state.getProcessesList().stream().map(StackProcess::getService).distinct().toList();
  }

  /** Which file a stack.json is: replaced by a rename on every write, so a new key, time or size. */
  private record Stamp(Object key, FileTime modified, long size) {
    static Stamp of(BasicFileAttributes file) {
      return new Stamp(file.fileKey(), file.lastModifiedTime(), file.size());
    }
  }
}
