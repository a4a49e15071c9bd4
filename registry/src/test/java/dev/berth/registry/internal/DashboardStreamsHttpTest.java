package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.internal.RawHttp.Event;
import dev.berth.registry.internal.RawHttp.EventStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's event stream over the registry's real HTTP side, a fake feed, and the ticker
 * on a fake clock: what each stream gets, when, and that no stream holds up another or the
 * rest of the HTTP side.
 */
class DashboardStreamsHttpTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private DashboardServer server;
  private final List<EventStream> streams = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = DashboardServer.withFakeClock();
  }

  @AfterEach
  void stop() throws Exception {
    for (EventStream s : streams) {
      s.close();
    }
    server.close();
  }

  @Test
  void stream_startsWithRetryThenStateStacksAndEdges() throws Exception {
    EventStream s = open(null);

    assertThat(s.response.header("Content-Type")).isEqualTo("text/event-stream");
    assertThat(s.next(WAIT).retry()).isEqualTo("1000");
    assertThat(s.next(WAIT)).isEqualTo(event("state", "{\"owner\": false, \"instances\": []}"));
    assertThat(s.next(WAIT)).isEqualTo(event("stacks", server.feed.readerStacks));
    server.clock.runDueTasks(); // the ticker's first tick: at once
    assertThat(s.next(WAIT)).isEqualTo(event("edges", "{\"read\": 1}")); // no stacks again
  }

  @Test
  void ownersStream_saysOwner_andHasTheLogTails() throws Exception {
    EventStream owner = open(server.ownerCookie());
    EventStream reader = open(null);

    List<Event> ownerSaw = owner.until("stacks", WAIT);
    List<Event> readerSaw = reader.until("stacks", WAIT);

    assertThat(ownerSaw).contains(event("state", "{\"owner\": true, \"instances\": []}"),
        event("stacks", server.feed.ownerStacks));
    assertThat(readerSaw).contains(event("state", "{\"owner\": false, \"instances\": []}"),
        event("stacks", server.feed.readerStacks));
    assertThat(server.feed.readerStacks).doesNotContain("log");
  }

  @Test
  void state_followsEachChange_atMostOncePer50ms_newestFirst() throws Exception {
    EventStream s = open(null);
    s.until("stacks", WAIT);

    server.feed.change("{\"n\": 1}");
    server.clock.runDueTasks(); // the first change in a while goes at once
    assertThat(s.nextOf("state", WAIT).data()).isEqualTo("{\"owner\": false, \"n\": 1}");
    server.feed.change("{\"n\": 2}");
    server.feed.change("{\"n\": 3}");
    assertThat(server.clock.pendingDelaysMillis()).contains(50L);
    server.clock.forwardTime(49, TimeUnit.MILLISECONDS);
    assertThat(server.clock.pendingDelaysMillis()).contains(1L);
    server.clock.forwardTime(1, TimeUnit.MILLISECONDS);

    assertThat(s.nextOf("state", WAIT).data()).isEqualTo("{\"owner\": false, \"n\": 3}");
  }

  @Test
  void edgesEverySecond_stacksOnlyWhenChanged_pingEvery15s() throws Exception {
    EventStream s = open(null);
    s.until("stacks", WAIT);
    server.clock.runDueTasks();
    s.nextOf("edges", WAIT);

    List<Event> quiet = new ArrayList<>();
    for (int second = 1; second <= 15; second++) {
      server.clock.forwardTime(1, TimeUnit.SECONDS);
      quiet.addAll(s.until("edges", WAIT)); // one a second, read before the next is posted
    }
    if (quiet.stream().noneMatch(e -> "ping".equals(e.comment()))) {
      quiet.addAll(s.until("ping", WAIT)); // the 15th second's, written after its edges
    }
    server.feed.readerStacks = "[]";
    server.clock.forwardTime(1, TimeUnit.SECONDS);
    List<Event> changed = s.until("edges", WAIT);

    assertThat(quiet).extracting(e -> e.type() != null ? e.type() : ": " + e.comment())
        .containsExactlyInAnyOrder("edges", "edges", "edges", "edges", "edges", "edges", "edges",
            "edges", "edges", "edges", "edges", "edges", "edges", "edges", "edges", ": ping");
    assertThat(changed).containsExactly(event("stacks", "[]"), event("edges", "{\"read\": 17}"));
  }

  @Test
  void edges_areReadOncePerTick_forEveryStream() throws Exception {
    List<EventStream> three = List.of(open(null), open(null), open(server.ownerCookie()));
    for (EventStream s : three) {
      s.until("stacks", WAIT);
    }

    server.clock.runDueTasks();
    server.clock.forwardTime(1, TimeUnit.SECONDS);

    for (EventStream s : three) { // a stream that read slowly got the second only: the newest
      while (!s.nextOf("edges", WAIT).data().equals("{\"read\": 2}")) { }
    }
    assertThat(server.feed.edgesReads.get()).isEqualTo(2);
  }

  @Test
  void noStreamOpen_nothingIsScheduledOrRead() throws Exception {
    server.feed.change("{\"n\": 1}");
    assertThat(server.clock.pendingTasks()).isZero();

    EventStream s = open(null);
    s.until("stacks", WAIT);
    assertThat(server.clock.pendingTasks()).isEqualTo(2); // the tick and the ping
    s.close();
    awaitDropped(); // a write to the closed connection fails: the stream is dropped

    int reads = server.feed.edgesReads.get();
    server.feed.change("{\"n\": 2}");
    server.clock.forwardTime(30, TimeUnit.SECONDS);
    assertThat(server.clock.pendingTasks()).isZero();
    assertThat(server.feed.edgesReads.get()).isEqualTo(reads);
  }

  @Test
  void close_endsEveryOpenStream() throws Exception {
    EventStream a = open(null);
    EventStream b = open(server.ownerCookie());
    a.until("stacks", WAIT);
    b.until("stacks", WAIT);

    long started = System.nanoTime();
    server.dashboard.close();
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

    assertThat(a.endsWithin(WAIT)).isTrue();
    assertThat(b.endsWithin(WAIT)).isTrue();
    assertThat(tookMillis).isLessThan(2_500);
    assertThat(server.dashboard.openStreams()).isZero();
    assertThat(server.clock.pendingTasks()).isZero();
  }

  private EventStream open(String cookie) throws Exception {
    RawHttp request = server.get("/dashboard/events");
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    EventStream s = request.stream();
    streams.add(s);
    assertThat(s.response.status()).as("%s", s.response).isEqualTo(200);
    return s;
  }

  /** Ticks until the HTTP side has dropped every stream whose client went away. */
  private void awaitDropped() throws InterruptedException {
    awaitOpen(0);
  }

  private void awaitOpen(int count) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (server.dashboard.openStreams() > count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(server.dashboard.openStreams() + " streams open (expected: " + count + ")");
      }
      server.clock.forwardTime(1, TimeUnit.SECONDS); // each tick writes edges: the write fails
      Thread.sleep(20);
    }
  }

  private static Event event(String type, String data) {
    return new Event(type, data, null, null);
  }
}
