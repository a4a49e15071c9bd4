package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.internal.RawHttp.EventStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's event stream as the registry runs it: real time, the ticker's own thread.
 * Bounds here are generous (a busy 2-core machine); the figures belong in {@code bench/}.
 */
class DashboardAsRunTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private DashboardServer server;

  @BeforeEach
  void start() throws Exception {
    server = DashboardServer.asRun();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aChange_reachesAnOpenStreamWithinASecond() throws Exception {
    try (EventStream s = server.get("/dashboard/events").stream()) {
      s.nextOf("state", WAIT);

      server.feed.change("{\"instances\": [\"orders-1\"]}");

      assertThat(s.nextOf("state", Duration.ofSeconds(1)).data())
          .isEqualTo("{\"owner\": false, \"instances\": [\"orders-1\"]}");
    }
  }

  @Test
  void aChange_reachesAnOpenStream_whileAnEdgesScrapeIsHeldUp() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    server.feed.edgesHeld = held;
    try (EventStream s = server.get("/dashboard/events").stream()) {
      s.nextOf("state", WAIT);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (server.feed.edgesReads.get() == 0) { // the first tick's scrape is under way, and held
        assertThat(System.nanoTime()).as("the ticker scrapes edges").isLessThan(deadline);
        Thread.sleep(5);
      }

      server.feed.change("{\"instances\": []}");
      String state = s.nextOf("state", Duration.ofSeconds(1)).data();
      held.countDown();

      assertThat(state).isEqualTo("{\"owner\": false, \"instances\": []}");
      assertThat(s.nextOf("edges", WAIT).data()).isEqualTo("{\"read\": 1}");
    } finally {
      held.countDown();
    }
  }

  @Test
  void threads_areNamedDaemonsThatLiveOnlyWhileAPageIsOpen() throws Exception {
    String prefix = "berth-dashboard-" + server.port + "-";
    assertThat(threads(prefix)).isEmpty();

    EventStream s = server.get("/dashboard/events").stream();
    s.nextOf("edges", WAIT); // the ticker ran
    List<Thread> open = threads(prefix);
    s.close();

    assertThat(open).extracting(Thread::getName)
        .containsExactlyInAnyOrder(prefix + "stream-1", prefix + "ticker", prefix + "edges");
    assertThat(open).allMatch(Thread::isDaemon);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!threads(prefix).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50); // the next edges write fails; the ticker's and edges' threads time out a second later
    }
    assertThat(threads(prefix)).isEmpty();
  }

  @Test
  void aBrowserThatStopsReading_holdsUpNoOtherStream_norMetrics_norClose() throws Exception {
    server.feed.state = "{\"pad\": \"" + "x".repeat(256 * 1024) + "\"}";
    Socket stalled = new Socket();
    stalled.setReceiveBufferSize(4096);
    stalled.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.port));
    OutputStream out = stalled.getOutputStream();
    out.write(("GET /dashboard/events HTTP/1.1\r\nHost: 127.0.0.1:" + server.port + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    try (stalled; EventStream reading = server.get("/dashboard/events").stream()) {
      reading.nextOf("state", WAIT);
      for (int i = 0; i < 40; i++) { // ~10 MiB at the stalled one: more than socket buffers hold
        server.feed.change("{\"n\": " + i + ", \"pad\": \"" + "x".repeat(256 * 1024) + "\"}");
        Thread.sleep(60);
      }
      server.feed.change("{\"n\": \"last\"}");

      while (!reading.nextOf("state", WAIT).data().equals("{\"owner\": false, \"n\": \"last\"}")) { }
      RawHttp.Response metrics = RawHttp.get(server.port, "/metrics").send();
      assertThat(metrics.status()).isEqualTo(200);
      long started = System.nanoTime();
      server.dashboard.close();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3_000);
      assertThat(reading.endsWithin(WAIT)).isTrue();
    }
  }

  private static List<Thread> threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).collect(Collectors.toList());
  }
}
