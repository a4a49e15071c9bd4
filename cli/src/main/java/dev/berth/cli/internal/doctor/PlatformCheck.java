package dev.berth.cli.internal.doctor;

import dev.berth.proto.v1.Finding;
import dev.berth.registry.internal.PortPool;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code platform}: the checks that cannot run here, said in one note instead of guessing: no
 * socket table ({@code /proc/net/tcp}: macOS, a locked-down container) leaves {@code exposed},
 * {@code localhost} and {@code squatter} undone; no ephemeral range file leaves {@code ephemeral}.
 */
final class PlatformCheck implements Check {

  static final String CHECK = "platform";

  @Override
  public void run(Facts facts, List<Finding> out) {
    List<String> skipped = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    if (!facts.procAvailable()) {
      skipped.addAll(List.of(ExposedCheck.CHECK, LocalhostCheck.CHECK, SquatterCheck.CHECK));
      missing.add("/proc/net/tcp");
    }
    if (facts.ephemeral().isEmpty() && facts.registry().pool().isPresent()) {
      skipped.add(EphemeralCheck.CHECK);
      missing.add(PortPool.LINUX_EPHEMERAL_RANGE.toString());
    }
    if (skipped.isEmpty()) {
      return;
    }
    out.add(Check.note(CHECK, "this system has no " + String.join(" and no ", missing) + ": the "
            + String.join(", ", skipped) + " check" + (skipped.size() == 1 ? "" : "s") + " could not run",
        missing.contains("/proc/net/tcp") ? "list the listeners yourself: lsof -nP -iTCP -sTCP:LISTEN" : "")
        .build());
  }
}
