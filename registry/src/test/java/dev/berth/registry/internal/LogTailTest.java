package dev.berth.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

  @TempDir
  Path temp;

  @Test
  void last_ofAFileOverAMebibyte_isExactlyItsLast20Lines() throws Exception {
    Path log = temp.resolve("orders.log");
    try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      for (int i = 1; i <= 40_000; i++) {
        out.write("2026-12-02T13:01:00.120Z 1 out request " + i + " served\n");
      }
    }
    assertThat(Files.size(log)).isGreaterThan(1024 * 1024);

    List<String> lines = LogTail.last(log, 20, LogTail.MAX_BYTES);

    assertThat(lines).containsExactlyElementsOf(IntStream.rangeClosed(39_981, 40_000)
        .mapToObj(i -> "2026-12-02T13:01:00.120Z 1 out request " + i + " served").toList());
  }

  @Test
  void last_ofALineLongerThanTheBound_isItsEndMarkedCut_neverMoreThanTheBound() throws Exception {
    Path log = temp.resolve("orders.log");
    String huge = "x".repeat(200 * 1024);
    Files.writeString(log, "first\n" + huge + "tail end\n", StandardCharsets.UTF_8);

    List<String> lines = LogTail.last(log, 20, 16 * 1024);

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith(LogTail.CUT).endsWith("xtail end")
        .hasSize(LogTail.CUT.length() + 16 * 1024 - 1); // the bound less the last newline
  }

  @Test
  void last_ofAShortFile_isAllOfIt_withoutCarriageReturns_andAnUnendedLastLine() throws Exception {
    Path log = temp.resolve("web.log");
    Files.writeString(log, "one\r\ntwo\nthree", StandardCharsets.UTF_8);

    assertThat(LogTail.last(log, 20, LogTail.MAX_BYTES)).containsExactly("one", "two", "three");
    assertThat(LogTail.last(temp.resolve("none.log"), 20, LogTail.MAX_BYTES)).isEmpty();
    Files.writeString(log, "", StandardCharsets.UTF_8);
    assertThat(LogTail.last(log, 20, LogTail.MAX_BYTES)).isEmpty();
  }

  @Test
  void last_justAfterARotation_takesTheRestFromTheOlderFile() throws Exception {
    Path log = temp.resolve("orders.log");
    Path older = temp.resolve("orders.log.1");
    Files.write(older, IntStream.rangeClosed(1, 30).mapToObj(i -> "old " + i).toList(), StandardCharsets.UTF_8);
    Files.write(log, IntStream.rangeClosed(1, 5).mapToObj(i -> "new " + i).toList(), StandardCharsets.UTF_8);

    List<String> lines = LogTail.last(log, older, 20, LogTail.MAX_BYTES);

    assertThat(lines).hasSize(20).startsWith("old 16").endsWith("old 30", "new 1", "new 2", "new 3", "new 4", "new 5");
  }

  @Test
  void last_ofAFileWithEnoughLines_doesNotReadTheOlderFile() throws Exception {
    Path log = temp.resolve("orders.log");
    Files.write(log, IntStream.rangeClosed(1, 25).mapToObj(i -> "new " + i).toList(), StandardCharsets.UTF_8);
    Path older = temp.resolve("orders.log.1");
    Files.writeString(older, "old\n", StandardCharsets.UTF_8);

    assertThat(LogTail.last(log, older, 20, LogTail.MAX_BYTES)).hasSize(20).startsWith("new 6").endsWith("new 25");
  }
}
