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

/**
 * {@code berth demo} runs the sample stack (sample-services/berth.yaml) through the supervisor
 * to the end of its story and leaves no process or state dir behind.
 */
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
      // the demo's temp state dir, and so the BERTH_HOME of every process it starts, under tmp
      BerthJar.Started demo = berth.startJvm(List.of("-Djava.io.tmpdir=" + tmp), "demo", "--requests", "50");
      BerthJar.Result result = demo.await(Duration.ofSeconds(120));

      assertThat(result.exitCode).as(result.toString()).isZero();
      assertThat(result.out)
          .contains("catalog serving on 127.0.0.1:", "orders serving on", "gateway serving http on",
              "web serving http on")
          .contains("SERVICE", "ENDPOINT", "ADDRESS")
          .contains("gone from the registry")
          .contains("the same port as before")
          .contains("temp state dir removed")
          // ends with berth top's table: every edge of the chain, from the services' own meters
          .containsPattern("CALLER\\s+CALLEE\\s+METHOD\\s+CALLS/S\\s+ERR%\\s+P50\\s+P99")
          .containsPattern("gateway\\s+orders\\s+PlaceOrder\\s+\\d")
          .containsPattern("orders\\s+catalog\\s+GetPrice\\s+\\d");
      // the supervisor's own lines, in its one log: started in dependency order, each once the one
      // before was live; orders' kill -9 noticed and restarted, its dependents not; stopped in reverse
      assertThat(indexes(result.out, "catalog   | live on", "orders    | live on", "gateway   | live on",
          "web       | live on")).as(result.out).isSorted();
      assertThat(indexes(result.out, "catalog   | live on", "orders    | orders serving on")).isSorted();
      assertThat(indexes(result.out, "orders    | live on", "gateway   | gateway serving")).isSorted();
      assertThat(indexes(result.out, "gateway   | live on", "web       | web serving")).isSorted();
      assertThat(result.out).contains("orders    | killed by signal 9")
          .contains("restarting in", "on the same port")
          .contains("gateway (pid", "were not restarted");
      assertThat(result.out.split("orders    \\| live on", -1)).as("orders live twice").hasSize(3);
      // ends with the dashboard's sign-in URL even off a terminal, and then stops at once
      assertThat(result.out).containsPattern(
          "\n {11}http://127\\.0\\.0\\.1:\\d+/dashboard/login\\?code=[A-Za-z0-9_-]{16,}\n")
          .contains("not on a terminal: stopping now");
      assertThat(indexes(result.out, "/dashboard/login?code=", "not on a terminal", "web       | stopping"))
          .as(result.out).isSorted();
      assertThat(indexes(result.out, "web       | stopping", "gateway   | stopping", "orders    | stopping",
          "catalog   | stopping")).as(result.out).isSorted();
      // web, the Python program, answered from gateway, whose address it got by name
      Matcher gatewayAt = Pattern.compile("resolve\\(\"gateway/http\"\\) = (127\\.0\\.0\\.1:\\d+)")
          .matcher(result.out);
      assertThat(gatewayAt.find()).as(result.out).isTrue();
      assertThat(result.out).contains("GET  /products.json -> 200 {\"gateway\": \"http://" + gatewayAt.group(1));
      // inventory, the Spring Boot service (the starter, no port), live and called by name
      assertThat(result.out).contains("inventory | live on", "GET  /stock/tea -> 200 {\"");
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

  /** Where each of {@code texts} first occurs in {@code out}; -1 for one that does not. */
  private static List<Integer> indexes(String out, String... texts) {
    List<Integer> at = new ArrayList<>();
    for (String text : texts) {
      assertThat(out).contains(text);
      at.add(out.indexOf(text));
    }
    return at;
  }

  /**
   * Processes of the demo still running: every one the supervisor started has the demo's temp
   * state dir, under {@code tmp}, as BERTH_HOME in its environment (the Java samples and the
   * Python one alike).
   */
  private static List<String> leftovers(Path tmp) {
    byte[] prefix = ("BERTH_HOME=" + tmp + "/").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return ProcessHandle.allProcesses()
        .filter(p -> hasEnvStartingWith(p.pid(), prefix))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .collect(Collectors.toList());
  }

  private static boolean hasEnvStartingWith(long pid, byte[] prefix) {
    byte[] environ;
    try {
      environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
    } catch (java.io.IOException | SecurityException e) {
      return false; // gone, or another user's
    }
    for (int start = 0; start < environ.length; ) {
      int end = start;
      while (end < environ.length && environ[end] != 0) {
        end++;
      }
      if (end - start >= prefix.length
          && java.util.Arrays.equals(environ, start, start + prefix.length, prefix, 0, prefix.length)) {
        return true;
      }
      start = end + 1;
    }
    return false;
  }
}
