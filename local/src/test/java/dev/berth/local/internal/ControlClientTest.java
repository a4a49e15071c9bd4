package dev.berth.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ControlClient} against a control socket served by the test that never answers. */
class ControlClientTest {

  /** Far longer than the test waits after the interrupt: only the interrupt can end the call. */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  void status_whenInterruptedWhileWaiting_failsAtOnceWithoutSpinningAndKeepsTheFlag() throws Exception {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    assumeTrue(mx.isThreadCpuTimeSupported(), "no per-thread CPU time in this JVM");
    mx.setThreadCpuTimeEnabled(true);
    Path path = dir.resolve("control.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      AtomicReference<RuntimeException> failure = new AtomicReference<>();
      AtomicBoolean flagAfter = new AtomicBoolean();
      AtomicLong cpuAtEnd = new AtomicLong(-1);
      AtomicLong endedAt = new AtomicLong();
      Thread asking = new Thread(() -> {
        try {
          ControlClient.of(path, TIMEOUT).status();
        } catch (RuntimeException e) {
          failure.set(e);
        } finally {
          flagAfter.set(Thread.currentThread().isInterrupted());
          cpuAtEnd.set(mx.getCurrentThreadCpuTime());
          endedAt.set(System.nanoTime());
        }
      }, "control-client-test-asking");
      asking.setDaemon(true);
      asking.start();
      try (SocketChannel connection = server.accept();
          BufferedReader request = new BufferedReader(new InputStreamReader(
              Channels.newInputStream(connection), StandardCharsets.UTF_8))) {
        assertThat(request.readLine()).isEqualTo(ControlProtocol.STATUS);
        Thread.sleep(200); // it waits for an answer that never comes
        long cpuBefore = mx.getThreadCpuTime(asking.getId());
        long interruptedAt = System.nanoTime();
        asking.interrupt();
        asking.join(TIMEOUT.toMillis() * 2);

        assertThat(asking.isAlive()).isFalse();
        long millis = TimeUnit.NANOSECONDS.toMillis(endedAt.get() - interruptedAt);
        assertThat(millis).as("ended %d ms after the interrupt", millis).isLessThan(1_000);
        long cpuMillis = TimeUnit.NANOSECONDS.toMillis(cpuAtEnd.get() - cpuBefore);
        assertThat(cpuMillis).as("CPU time after the interrupt: %d ms", cpuMillis).isLessThan(200);
        assertThat(failure.get()).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("interrupted").hasMessageContaining(path.toString());
        assertThat(flagAfter.get()).as("the interrupt flag is left set").isTrue();
      }
    }
  }
}
