package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.internal.RawHttp.EventStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's limits on event streams, over the registry's real HTTP side with the ticker on
 * a fake clock: 16 streams, 4 of them kept for the owner, and a stream whose client stopped
 * reading ended once its write has been stuck for more than 10 s.
 */
class DashboardStreamLimitsTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private DashboardServer server;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = DashboardServer.withFakeClock();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    server.close();
  }

  @Test
  void readers_get12Streams_theOwner16_andMetricsStillAnswer() throws Exception {
    for (int i = 0; i < 12; i++) {
      open(null).until("stacks", WAIT);
    }
    EventStream reader = stream(null);
    for (int i = 0; i < 4; i++) {
      open(server.ownerCookie()).until("stacks", WAIT);
    }
    EventStream owner = stream(server.ownerCookie());
    RawHttp.Response metrics = RawHttp.get(server.port, "/metrics").send();
    RawHttp.Response page = server.get("/dashboard/app.css").send();

    assertThat(reader.response.status()).isEqualTo(503);
    assertThat(reader.response.body()).isEqualTo("unavailable: 12 dashboard streams without the owner "
        + "cookie are open (expected: at most 12; the other 4 are kept for the owner; close a dashboard tab)\n");
    assertThat(owner.response.status()).isEqualTo(503);
    assertThat(owner.response.body()).isEqualTo("unavailable: 16 dashboard streams are open "
        + "(expected: at most 16; close a dashboard tab)\n");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain; version=0.0.4");
    assertThat(page.status()).isEqualTo(200);
    assertThat(server.dashboard.openStreams()).isEqualTo(16);
  }

  @Test
  void aDroppedStream_makesRoomForAnother() throws Exception {
    List<EventStream> readers = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      readers.add(open(null));
      readers.get(i).until("stacks", WAIT);
    }

    readers.get(3).close();
    awaitOpen(11, true);
    EventStream next = open(null);

    assertThat(next.until("stacks", WAIT)).isNotEmpty();
  }

  @Test
  void aClientThatStopsReading_isEndedOnceItsWriteIsStuckFor10s_andItsSlotFreed() throws Exception {
    server.feed.state = "{\"pad\": \"" + "x".repeat(8 << 20) + "\"}"; // more than socket buffers hold
    long deadline = System.nanoTime() + WAIT.toNanos();
    Socket stalled = new Socket();
    clients.add(stalled);
    stalled.setReceiveBufferSize(4096);
    stalled.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.port));
    OutputStream out = stalled.getOutputStream();
    out.write(("GET /dashboard/events HTTP/1.1\r\nHost: 127.0.0.1:" + server.port + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    awaitOpen(1, false);
    while (server.feed.stateReads.get() == 0) { // the stalled stream's thread took the padded state
      assertThat(System.nanoTime()).as("the stalled stream reads its state").isLessThan(deadline);
      Thread.sleep(5);
    }
    server.feed.state = "{\"instances\": []}";
    EventStream reading = open(null);
    reading.until("stacks", WAIT);

    server.clock.runDueTasks(); // the first tick posts edges to both: the stalled one never takes it
    reading.nextOf("edges", WAIT);
    for (int second = 1; second <= 10; second++) { // waited 10 s: not more than the bound yet
      server.clock.forwardTime(1, TimeUnit.SECONDS);
      reading.nextOf("edges", WAIT); // each tick is over once the reading stream got its edges
    }
    int openAfter10s = server.dashboard.openStreams();
    server.clock.forwardTime(1, TimeUnit.SECONDS);
    awaitOpen(1, false);

    assertThat(openAfter10s).isEqualTo(2);
    assertThat(closedWithin(stalled, WAIT)).as("the stalled client's connection is closed").isTrue();
    reading.nextOf("edges", WAIT); // the reading stream carries on
    server.clock.forwardTime(1, TimeUnit.SECONDS);
    assertThat(reading.nextOf("edges", WAIT).data()).isEqualTo("{\"read\": 13}");
    assertThat(server.dashboard.openStreams()).isEqualTo(1);
  }

  /** True when the server closed {@code socket}: what it still holds drains, then EOF or a reset. */
  private static boolean closedWithin(Socket socket, Duration timeout) throws Exception {
    socket.setSoTimeout((int) timeout.toMillis());
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[64 * 1024];
    try {
      while (in.read(buffer) >= 0) { }
      return true;
    } catch (java.net.SocketTimeoutException open) {
      return false;
    } catch (SocketException reset) {
      return true;
    }
  }

  private EventStream open(String cookie) throws Exception {
    EventStream s = stream(cookie);
    assertThat(s.response.status()).as("%s", s.response).isEqualTo(200);
    return s;
  }

  private EventStream stream(String cookie) throws Exception {
    RawHttp request = server.get("/dashboard/events");
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    EventStream s = request.stream();
    clients.add(s);
    return s;
  }

  /** Waits until {@code count} streams are open, ticking when {@code tick} (a write finds a closed client). */
  private void awaitOpen(int count, boolean tick) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (server.dashboard.openStreams() != count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(server.dashboard.openStreams() + " streams open (expected: " + count + ")");
      }
      if (tick) {
        server.clock.forwardTime(1, TimeUnit.SECONDS);
      }
      Thread.sleep(20);
    }
  }
}
