package dev.berth.cli.internal.doctor;

import dev.berth.cli.internal.ListenerKinds;
import dev.berth.local.internal.Modes;
import dev.berth.proto.v1.DoctorReport;
import dev.berth.proto.v1.Finding;
import dev.berth.registry.internal.PortPool;
import dev.berth.registry.internal.ProcessSockets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code berth doctor}'s engine: gathers the {@link Facts} once (one read of both socket
 * tables, one scan of {@code /proc/*}{@code /fd} for every listener's holder), runs each
 * {@link Check} over them and orders the findings into a {@link DoctorReport}: problems first,
 * Berth instances' before other processes', then notes. Reads, never writes; connects to
 * nothing but the state dir's registry ({@link RegistryReader}, before). Used on the calling thread.
 *
 * <pre>{@code
 * DoctorReport report = Doctor.system().examine(RegistryReader.read(ctx, System.getenv()));
 * }</pre>
 */
public final class Doctor {

  private static final List<Check> CHECKS = List.of(
      new PlatformCheck(),
      new StateDirCheck(),
      new RegistryCheck(),
      new BerthsJsonCheck(),
      new EphemeralCheck(),
      new ExposedCheck(),
      new LocalhostCheck(),
      new SquatterCheck());

  private final ProcessSockets sockets;
  private final Supplier<LocalhostOrder> localhost;
  private final Path ephemeralRange;

  Doctor(ProcessSockets sockets, Supplier<LocalhostOrder> localhost, Path ephemeralRange) {
    this.sockets = sockets;
    this.localhost = localhost;
    this.ephemeralRange = ephemeralRange;
  }

  /** This machine: {@code /proc}, {@code getent} or {@code /etc/hosts}, the kernel's ephemeral range. */
  public static Doctor system() {
    return new Doctor(ProcessSockets.system(), LocalhostOrder::read, PortPool.LINUX_EPHEMERAL_RANGE);
  }

  /**
   * A doctor that cannot read the socket table (as on macOS), for tests of that path; its
   * ephemeral range is read from {@code ephemeralRange}.
   */
  static Doctor withoutProc(Path ephemeralRange) {
    return new Doctor(ProcessSockets.unavailable(), LocalhostOrder::read, ephemeralRange);
  }

  /** The report on this machine and {@code registry}'s state dir. */
  public DoctorReport examine(RegistryFacts registry) {
    return report(gather(registry));
  }

  Facts gather(RegistryFacts registry) {
    boolean available = sockets.available();
    List<Listening> listeners = available ? listeners(registry.stateDir()) : List.of();
    LocalhostOrder order = localhost.get();
    return new Facts(available, listeners, currentUid(), order.addresses(), order.source(),
        available ? PortPool.ephemeralRange(ephemeralRange) : Optional.empty(), registry);
  }

  /** Every check over {@code facts}, ordered. */
  static DoctorReport report(Facts facts) {
    List<Finding> findings = new ArrayList<>();
    for (Check c : CHECKS) {
      c.run(facts, findings);
    }
    // stable: within a rank, the checks' order
    findings.sort(Comparator.comparingInt(Doctor::rank));
    boolean ok = findings.stream().noneMatch(f -> f.getSeverity() == Finding.Severity.PROBLEM);
    return DoctorReport.newBuilder()
        .setOk(ok)
        .addAllFindings(findings)
        .addAllLocalhost(facts.localhost())
        .setStateDir(facts.registry().stateDir().toString())
        .setRegistryRunning(facts.registry().running())
        .build();
  }

  private static int rank(Finding f) {
    boolean problem = f.getSeverity() == Finding.Severity.PROBLEM;
    boolean instance = !f.getInstanceId().isEmpty();
    return problem ? (instance ? 0 : 1) : (instance ? 2 : 3);
  }

  /**
   * Every listener with its holder and what the holder is on that port ({@link ListenerKinds},
   * from each holder's command line and environment, read once per process).
   */
  private List<Listening> listeners(Path stateDir) {
    List<ProcessSockets.Listener> all = sockets.allListeners();
    Set<Long> inodes = all.stream().map(ProcessSockets.Listener::inode).collect(Collectors.toSet());
    Map<Long, Long> owners = sockets.ownersOf(inodes);
    Map<Long, String> commandLines = new HashMap<>();
    Map<Long, Map<String, String>> environments = new HashMap<>();
    List<Listening> out = new ArrayList<>();
    for (ProcessSockets.Listener l : all) {
      long pid = owners.getOrDefault(l.inode(), 0L);
      String commandLine = pid == 0 ? "" : commandLines.computeIfAbsent(pid, sockets::commandLine);
      Optional<ListenerKinds.ListenerKind> kind = pid == 0 ? Optional.empty()
          : ListenerKinds.of(commandLine, environments.computeIfAbsent(pid, sockets::environment), pid,
              l.port(), stateDir);
      out.add(new Listening(l.address(), l.port(), l.uid(), pid, commandLine, kind));
    }
    return List.copyOf(out);
  }

  private static int currentUid() {
    try {
      return Modes.currentUid();
    } catch (IOException e) {
      return -1;
    }
  }
}
