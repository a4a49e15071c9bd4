package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.internal.stack.StackOutput.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {

  private static final Instant T0 = Instant.parse("2026-12-02T04:00:00Z");

  @TempDir
  Path temp;

  /** A clock a test moves by hand. */
  static final class StepClock extends Clock {
    volatile Instant now = T0;

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void records_oneLineEach_timeInstanceKindText_fileMode0600_dir0700() throws Exception {
    StepClock clock = new StepClock();
    Path dir = temp.resolve("stacks/shop-abc123/logs");
    try (LogFiles logs = LogFiles.open(dir, clock, LogFiles.DEFAULT_MAX_BYTES)) {
      logs.line("orders", 1, Stream.OUT, "listening");
      clock.advance(Duration.ofMillis(7));
      logs.line("orders", 2, Stream.ERR, "two\nlines");
      logs.event("orders", 1, "live on 127.0.0.1:61001");
    }

    assertThat(Files.readAllLines(dir.resolve("orders.log"))).containsExactly(
        "2026-12-02T04:00:00.000Z 1 out listening",
        "2026-12-02T04:00:00.007Z 2 err two lines",
        "2026-12-02T04:00:00.007Z 1 berth live on 127.0.0.1:61001");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("orders.log"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
  }

  @Test
  void aServiceThatPrintsForever_holdsAtMostTwoFilesOfTheLimit_andTheNewestLines() throws Exception {
    long max = 4096;
    Path dir = temp.resolve("logs");
    try (LogFiles logs = LogFiles.open(dir, new StepClock(), max)) {
      for (int i = 0; i < 1000; i++) {
        logs.line("chatty", 1, Stream.OUT, "line " + i + " " + "x".repeat(50));
      }
    }

    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .containsExactlyInAnyOrder("chatty.log", "chatty.log.1");
    }
    assertThat(Files.size(dir.resolve("chatty.log"))).isLessThanOrEqualTo(max);
    assertThat(Files.size(dir.resolve("chatty.log.1"))).isLessThanOrEqualTo(max).isGreaterThan(max / 2);
    List<String> last = Files.readAllLines(dir.resolve("chatty.log"));
    assertThat(last.get(last.size() - 1)).contains("line 999 ");
    // the two files hold an unbroken run of the newest lines
    List<LogRecord> read = LogReader.of(dir, Optional.empty(), Optional.empty()).read();
    int first = Integer.parseInt(read.get(0).text().split(" ")[1]);
    assertThat(read).extracting(r -> Integer.parseInt(r.text().split(" ")[1]))
        .containsExactlyElementsOf(java.util.stream.IntStream.range(first, 1000).boxed().toList());
  }

  @Test
  void aLineLongerThanAQuarterOfTheLimit_isCutAndMarked() throws Exception {
    Path dir = temp.resolve("logs");
    try (LogFiles logs = LogFiles.open(dir, new StepClock(), 4096)) {
      logs.line("big", 1, Stream.OUT, "y".repeat(5000));
    }

    String line = Files.readAllLines(dir.resolve("big.log")).get(0);
    assertThat(line).endsWith("y".repeat(1024) + " [cut: 3976 more chars]");
  }

  @Test
  void read_mergesEveryServiceByTime_orOneService_fromSince() throws Exception {
    StepClock clock = new StepClock();
    Path dir = temp.resolve("logs");
    try (LogFiles logs = LogFiles.open(dir, clock, LogFiles.DEFAULT_MAX_BYTES)) {
      logs.line("orders", 1, Stream.OUT, "o1");
      clock.advance(Duration.ofMinutes(5));
      logs.line("catalog", 1, Stream.OUT, "c1");
      clock.advance(Duration.ofMinutes(5));
      logs.event("orders", 1, "o2");
      clock.advance(Duration.ofMinutes(5));
      logs.line("catalog", 1, Stream.ERR, "c2");
    }

    assertThat(LogReader.of(dir, Optional.empty(), Optional.empty()).read())
        .extracting(LogRecord::text).containsExactly("o1", "c1", "o2", "c2");
    assertThat(LogReader.of(dir, Optional.of("catalog"), Optional.empty()).read())
        .extracting(LogRecord::text).containsExactly("c1", "c2");
    Instant now = T0.plus(Duration.ofMinutes(15));
    assertThat(LogReader.of(dir, Optional.empty(), Optional.of(LogSince.parse("10m", now))).read())
        .extracting(r -> r.service() + ":" + r.kind() + ":" + r.text())
        .containsExactly("catalog:OUT:c1", "orders:BERTH:o2", "catalog:ERR:c2");
    assertThat(LogReader.of(dir, Optional.empty(), Optional.of(LogSince.parse("2026-12-02T04:10:00Z", now)))
        .read()).extracting(LogRecord::text).containsExactly("o2", "c2");
    assertThat(LogReader.of(dir, Optional.of("nosuch"), Optional.empty()).read()).isEmpty();
  }

  @Test
  void since_takesDurationsAndTimes_andNamesABadValue() {
    Instant now = Instant.parse("2026-12-02T05:00:00Z");
    assertThat(LogSince.parse("10m", now)).isEqualTo("2026-12-02T04:50:00Z");
    assertThat(LogSince.parse("2h", now)).isEqualTo("2026-12-02T03:00:00Z");
    assertThat(LogSince.parse("90s", now)).isEqualTo("2026-12-02T04:58:30Z");
    assertThat(LogSince.parse("500ms", now)).isEqualTo("2026-12-02T04:59:59.500Z");
    assertThat(LogSince.parse("2026-12-02T05:00:00+01:00", now)).isEqualTo("2026-12-02T04:00:00Z");
    for (String bad : List.of("yesterday", "10x", "2026-12-02", "-5m")) {
      assertThatThrownBy(() -> LogSince.parse(bad, now))
          .hasMessage("--since: '" + bad + "' (expected: a duration such as 10m, 90s or 2h, or a time"
              + " such as 2026-12-02T04:00:00Z)");
    }
  }

  @Test
  void follow_seesNewLinesOfEveryService_acrossRotation_andANewService() throws Exception {
    Path dir = temp.resolve("logs");
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean going = new AtomicBoolean(true);
    try (LogFiles logs = LogFiles.open(dir, Clock.systemUTC(), 2048)) {
      logs.line("orders", 1, Stream.OUT, "before");
      Thread follower = new Thread(() -> {
        try {
          LogReader.of(dir, Optional.empty(), Optional.empty())
              .follow(r -> seen.add(r.service() + ":" + r.text()), going::get, Duration.ofMillis(20));
        } catch (Exception e) {
          seen.add("failed: " + e);
        }
      });
      follower.start();
      try {
        awaitSize(seen, 1);
        // 200 lines of ~70 bytes: the 2 KiB file rotates several times while followed
        for (int i = 0; i < 200; i++) {
          logs.line("orders", 1, Stream.OUT, "n" + i + " " + "z".repeat(40));
          if (i % 20 == 19) {
            awaitSize(seen, i + 2); // 20 lines are less than a file: at most one rotation unseen
          }
        }
        logs.event("catalog", 1, "new service");
        awaitSize(seen, 202);
      } finally {
        going.set(false);
        follower.join(5000);
      }
    }

    assertThat(seen.get(0)).isEqualTo("orders:before");
    assertThat(seen).contains("catalog:new service");
    assertThat(seen.stream().filter(s -> s.startsWith("orders:n")).map(s -> s.split(" ")[0]).toList())
        .as("every line once, in order, across the rotations")
        .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 200).mapToObj(i -> "orders:n" + i).toList());
  }

  private static void awaitSize(List<String> list, int size) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (list.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(list).as("within 10 s").hasSizeGreaterThanOrEqualTo(size);
  }

  @Test
  void parse_skipsLinesThatAreNotRecords() {
    assertThat(LogRecord.parse("s", "garbage")).isEmpty();
    assertThat(LogRecord.parse("s", "2026-12-02T04:00:00.000Z x out a")).isEmpty();
    assertThat(LogRecord.parse("s", "2026-12-02T04:00:00.000Z 1 out a b ").orElseThrow().text())
        .isEqualTo("a b ");
  }
}
