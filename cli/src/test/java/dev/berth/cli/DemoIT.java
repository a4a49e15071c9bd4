package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.TestPools;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth demo} tells its story to the end and leaves no process or state dir behind. */
class DemoIT {

  /** A java.util.logging line, in berth's one-line format or the JDK's two-line default. */
  private static final Pattern JUL_LINE = Pattern.compile(
      "^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d |)(SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST)[: ]");

  @TempDir
  Path temp;

  @Test
  void demo_runsToCompletion_andLeavesNoProcessBehind() throws Exception {
    Path tmp = Files.createDirectories(temp.resolve("tmp"));
    try (BerthJar berth = new BerthJar(temp);
        // a foreign holder of the pool's first port: the registry meets a conflict and logs it
        ServerSocket squatter = TestPools.squat(berth.pool().first())) {
      // the demo's temp state dir, and so the -Dberth.demo= marker of its children, under tmp
      BerthJar.Started demo = berth.startJvm(List.of("-Djava.io.tmpdir=" + tmp), "demo", "--requests", "50");
      BerthJar.Result result = demo.await(Duration.ofSeconds(120));

      assertThat(result.exitCode).as(result.toString()).isZero();
      assertThat(result.out)
          .contains("catalog serving on 127.0.0.1:", "orders serving on", "gateway serving http on")
          .contains("SERVICE", "ENDPOINT", "ADDRESS")
          .contains("gone from the registry")
          .contains("the same port as before")
          .contains("temp state dir removed")
          // ends with berth top's table: every edge of the chain, from the services' own meters
          .containsPattern("CALLER\\s+CALLEE\\s+METHOD\\s+CALLS/S\\s+ERR%\\s+P50\\s+P99")
          .containsPattern("gateway\\s+orders\\s+PlaceOrder\\s+\\d")
          .containsPattern("orders\\s+catalog\\s+GetPrice\\s+\\d");
      // every berth came from the pool BerthJar passes in BERTH_PORTS: none is a neighbour's
      Matcher serving = Pattern.compile("serving (?:\\w+ )?on 127\\.0\\.0\\.1:(\\d+)").matcher(result.out);
      List<Integer> ports = new ArrayList<>();
      while (serving.find()) {
        ports.add(Integer.parseInt(serving.group(1)));
      }
      assertThat(ports).as(result.out).hasSizeGreaterThanOrEqualTo(4)
          .allSatisfy(port -> assertThat(berth.pool().contains(port)).as("%d in %s", port, berth.pool()).isTrue());
      // the in-process registry's log lines (the squatter's port conflict) go to its
      // registry.log; stderr is for errors only
      assertThat(result.out).contains("held by other programs");
      assertThat(result.err.lines().filter(l -> JUL_LINE.matcher(l).find()).toList())
          .as(result.toString()).isEmpty();
      assertThat(leftovers(tmp)).as(result.toString()).isEmpty();
      try (var left = Files.list(tmp)) {
        assertThat(left.collect(Collectors.toList())).isEmpty();
      }
    }
  }

  private static List<String> leftovers(Path marker) {
    return ProcessHandle.allProcesses()
        .map(p -> p.info().commandLine().orElse(""))
        .filter(cmd -> cmd.contains("-Dberth.demo=" + marker))
        .collect(Collectors.toList());
  }
}
