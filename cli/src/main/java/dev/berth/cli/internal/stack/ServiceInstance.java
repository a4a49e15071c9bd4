package dev.berth.cli.internal.stack;

import com.google.protobuf.Timestamp;
import dev.berth.client.Address;
import dev.berth.proto.v1.StackProcess;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance of one service as the supervisor sees it: its state, its process, its ports.
 * Guarded by the {@link StackBoard}'s lock; read and written only while holding it.
 */
final class ServiceInstance {

  /** The states of {@code StackProcess.state}. */
  enum State {
    WAITING, STARTING, LIVE, BACKOFF, EXITED, FAILED, STOPPING, STOPPED;

    String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  final ServiceSpec spec;
  /** 1..instances. */
  final int index;

  State state = State.WAITING;
  Instant since = Instant.now();
  String detail = "";
  /** The process that runs now; null between runs. */
  Process process;
  long startTicks;
  final Map<String, Integer> ports = new LinkedHashMap<>();
  /** Where the first endpoint listens while live. */
  Address address;
  int restarts;
  int lastExit = -1;
  int lastSignal;
  /** False once stopped by request ({@code berth stop}, stop all): not restarted until asked. */
  boolean wanted = true;
  /** Counts requested stops, so that the instance's thread tells a stop from a crash. */
  long stops;
  /** Counts requested restarts, which reset the restart policy's crash-loop count. */
  long restartRequests;

  ServiceInstance(ServiceSpec spec, int index) {
    this.spec = spec;
    this.index = index;
  }

  String name() {
    return spec.name() + "." + index;
  }

  boolean live() {
    return state == State.LIVE;
  }

  StackProcess toProto() {
    StackProcess.Builder p = StackProcess.newBuilder()
        .setService(spec.name())
        .setInstance(index)
        .setState(state.wire())
        .setPid(process == null ? 0 : process.pid())
        .setStartTicks(process == null ? 0 : startTicks)
        .setRestarts(restarts)
        .setSince(Timestamp.newBuilder().setSeconds(since.getEpochSecond()).setNanos(since.getNano()))
        .setLastExit(lastExit)
        .setLastSignal(lastSignal)
        .setDetail(detail);
    ports.forEach((endpoint, port) -> p.putPorts(endpoint, port));
    return p.build();
  }
}
