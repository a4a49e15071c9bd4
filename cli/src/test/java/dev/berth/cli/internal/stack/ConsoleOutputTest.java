package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.internal.stack.StackOutput.Stream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ConsoleOutputTest {

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private static Map<String, Integer> stack() {
    Map<String, Integer> services = new LinkedHashMap<>();
    services.put("catalog", 1);
    services.put("orders", 2);
    services.put("gateway", 1);
    return services;
  }

  private List<String> lines() {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void withoutColour_prefixesEachLineWithItsNamePaddedToTheLongest_andNoEscapes() {
    ConsoleOutput console = ConsoleOutput.of(out, stack(), false);

    console.line("catalog", 1, Stream.OUT, "listening");
    console.line("orders", 2, Stream.ERR, "warming up");
    console.event("gateway", 1, "live on 127.0.0.1:61002");
    console.event("orders", 0, "restarting all instances");

    assertThat(lines()).containsExactly(
        "catalog  | listening",
        "orders.2 | warming up",
        "gateway  | live on 127.0.0.1:61002",
        "orders   | restarting all instances");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\u001b");
  }

  @Test
  void withColour_eachServiceHasItsOwnColour_eventsBold_andEveryLineEndsReset() {
    ConsoleOutput console = ConsoleOutput.of(out, stack(), true);

    console.line("catalog", 1, Stream.OUT, "a");
    console.line("orders", 1, Stream.OUT, "b");
    console.line("gateway", 1, Stream.OUT, "c");
    console.event("catalog", 1, "exited with code 1");

    assertThat(lines()).containsExactly(
        ConsoleOutput.PALETTE[0] + "catalog  | " + ConsoleOutput.RESET + "a" + ConsoleOutput.RESET,
        ConsoleOutput.PALETTE[1] + "orders.1 | " + ConsoleOutput.RESET + "b" + ConsoleOutput.RESET,
        ConsoleOutput.PALETTE[2] + "gateway  | " + ConsoleOutput.RESET + "c" + ConsoleOutput.RESET,
        ConsoleOutput.PALETTE[0] + "catalog  | " + ConsoleOutput.RESET + ConsoleOutput.BOLD
            + "exited with code 1" + ConsoleOutput.RESET);
  }

  @Test
  void serviceNotInTheStack_isBoldAndUnpadded() {
    ConsoleOutput console = ConsoleOutput.of(out, Map.of("db", 1), true);

    console.event("supervisor", 0, "stopping");

    assertThat(lines()).containsExactly(ConsoleOutput.BOLD + "supervisor | " + ConsoleOutput.RESET
        + ConsoleOutput.BOLD + "stopping" + ConsoleOutput.RESET);
  }

  @Test
  void colourWanted_noColorSetWins_forceColourForces_elseWhetherATerminal() {
    assertThat(ConsoleOutput.colourWanted(Map.of(), true)).isTrue();
    assertThat(ConsoleOutput.colourWanted(Map.of(), false)).isFalse();
    assertThat(ConsoleOutput.colourWanted(Map.of("NO_COLOR", "1"), true)).isFalse();
    assertThat(ConsoleOutput.colourWanted(Map.of("NO_COLOR", ""), true)).as("empty is unset").isTrue();
    assertThat(ConsoleOutput.colourWanted(Map.of("FORCE_COLOR", "1"), false)).isTrue();
    assertThat(ConsoleOutput.colourWanted(Map.of("FORCE_COLOR", "0"), false)).isFalse();
    assertThat(ConsoleOutput.colourWanted(Map.of("FORCE_COLOR", "1", "NO_COLOR", "1"), false)).isFalse();
  }

  @Test
  void manyThreadsAtOnce_everyLineStaysWhole() throws Exception {
    ConsoleOutput console = ConsoleOutput.of(out, stack(), true);
    int threads = 8;
    int each = 2_000;
    String payload = "x".repeat(300);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int n = t + 1;
      Thread thread = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < each; i++) {
          console.line("orders", n, Stream.OUT, n + ":" + payload);
        }
      });
      thread.start();
      started.add(thread);
    }
    go.countDown();
    for (Thread thread : started) {
      thread.join(30_000);
    }

    List<String> lines = lines();
    assertThat(lines).hasSize(threads * each);
    assertThat(lines).allSatisfy(line -> assertThat(line)
        .matches("\u001b\\[33morders\\.(\\d) \\| \u001b\\[0m\\1:x{300}\u001b\\[0m"));
  }

  @Test
  void tee_sendsEveryLineToEachOutput_evenAfterOneThrows(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
      throws Exception {
    StackOutput broken = new StackOutput() {
      @Override
      public void line(String service, int instance, Stream stream, String text) {
        throw new IllegalStateException("broken");
      }

      @Override
      public void event(String service, int instance, String text) {
        throw new IllegalStateException("broken");
      }
    };
    try (LogFiles logs = LogFiles.open(temp, java.time.Clock.systemUTC(), LogFiles.DEFAULT_MAX_BYTES)) {
      StackOutput tee = TeeOutput.of(broken, ConsoleOutput.of(out, stack(), false), logs);

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> tee.line("catalog", 1, Stream.OUT, "a"))
          .hasMessage("broken");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> tee.event("catalog", 1, "b"))
          .hasMessage("broken");
    }

    assertThat(lines()).containsExactly("catalog  | a", "catalog  | b");
    assertThat(java.nio.file.Files.readAllLines(temp.resolve("catalog.log")))
        .satisfiesExactly(l -> assertThat(l).endsWith(" 1 out a"), l -> assertThat(l).endsWith(" 1 berth b"));
  }
}
