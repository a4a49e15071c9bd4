package dev.berth.registry.internal;

import com.google.protobuf.Timestamp;
import dev.berth.local.internal.JsonText;
import dev.berth.proto.v1.StackProcess;
import dev.berth.proto.v1.StackState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stack of the dashboard's {@code stacks} event as JSON ({@code docs/dashboard.md}), written by
 * hand on one line like the dashboard's other events: the contract's keys, not protobuf's JSON of
 * {@code StackState} (which would send pids' start ticks and the control socket's path). Stateless.
 */
final class StacksJson {

  private StacksJson() {}

  /** One stack; {@code logs} by service, or null for a reader's event (no {@code log} keys). */
  static void stack(StringBuilder out, StackState s, Map<String, List<String>> logs) {
    out.append("{\"namespace\":").append(JsonText.quote(s.getNamespace()))
        .append(",\"file\":").append(JsonText.quote(s.getFile()))
        .append(",\"supervisorPid\":").append(s.getSupervisorPid())
        .append(",\"started\":").append(s.hasStarted() ? time(s.getStarted()) : "null")
        .append(",\"processes\":[");
    for (int i = 0; i < s.getProcessesCount(); i++) {
      StackProcess p = s.getProcesses(i);
      out.append(i > 0 ? "," : "")
          .append("{\"service\":").append(JsonText.quote(p.getService()))
          .append(",\"instance\":").append(p.getInstance())
          .append(",\"state\":").append(JsonText.quote(p.getState()))
          .append(",\"pid\":").append(p.getPid())
          .append(",\"restarts\":").append(p.getRestarts())
          .append(",\"since\":").append(p.hasSince() ? time(p.getSince()) : "null")
          .append(",\"lastExit\":").append(p.getLastExit())
          .append(",\"lastSignal\":").append(p.getLastSignal())
          .append(",\"detail\":").append(JsonText.quote(p.getDetail()))
          .append(",\"ports\":{");
      int n = 0;
      for (Map.Entry<String, Integer> port : p.getPortsMap().entrySet()) {
        out.append(n++ > 0 ? "," : "").append(JsonText.quote(port.getKey())).append(':')
            .append(Integer.toUnsignedLong(port.getValue()));
      }
      out.append('}');
      if (logs != null) {
        out.append(",\"log\":[");
        List<String> lines = logs.getOrDefault(p.getService(), List.of());
        for (int j = 0; j < lines.size(); j++) {
          out.append(j > 0 ? "," : "").append(JsonText.quote(lines.get(j)));
        }
        out.append(']');
      }
      out.append('}');
    }
    out.append("]}");
  }

  private static String time(Timestamp t) {
    return JsonText.quote(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString());
  }
}
