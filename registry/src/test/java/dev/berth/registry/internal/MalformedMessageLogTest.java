package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Attributes;
import io.grpc.Grpc;
import java.net.InetSocketAddress;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MalformedMessageLogTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final List<String> lines = new ArrayList<>();
  private final MalformedMessageLog log = new MalformedMessageLog(now::get, new RecordingLogger(lines));

  private Attributes connection(int port) {
    return log.transportReady(Attributes.newBuilder()
        .set(Grpc.TRANSPORT_ATTR_REMOTE_ADDR, new InetSocketAddress("127.0.0.1", port)).build());
  }

  @Test
  void malformed_manyOnOneConnection_logsOneLine() {
    Attributes c = connection(40000);
    for (int i = 0; i < 5; i++) {
      log.malformed(c, "bad " + i);
      now.addAndGet(TimeUnit.SECONDS.toNanos(60)); // even long apart
    }

    assertThat(lines).containsExactly("malformed request from /127.0.0.1:40000: bad 0");
  }

  @Test
  void malformed_onManyConnections_logsOneLinePerIntervalAndCountsTheRest() {
    log.malformed(connection(1), "first");
    log.malformed(connection(2), "left out");
    log.malformed(connection(3), "left out");
    now.addAndGet(MalformedMessageLog.INTERVAL.toNanos() - 1);
    log.malformed(connection(4), "left out");
    now.addAndGet(1);
    log.malformed(connection(5), "next");

    assertThat(lines).containsExactly("malformed request from /127.0.0.1:1: first",
        "malformed request from /127.0.0.1:5: next (and 3 more from other connections, not logged)");
  }

  /** A System.Logger that keeps each formatted message. */
  private record RecordingLogger(List<String> lines) implements System.Logger {
    @Override
    public String getName() {
      return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(MessageFormat.format(format, params));
    }
  }
}
