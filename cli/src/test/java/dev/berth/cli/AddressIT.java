package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every address is true: {@code berth run} calls a child ready only when its own process tree
 * listens, advertises where it really listens ({@code [::1]} too), restarts it once when a
 * squatter takes its port first; {@code berth who} answers from /proc without a registry.
 * Real child processes (python3, a JVM with a debug agent).
 */
class AddressIT {

  private static final Pattern WAITING = Pattern.compile("listen on port (\\d+) \\(\\$PORT\\)");

  @TempDir
  Path temp;

  BerthJar berth;
  Process child;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void jar() throws Exception {
    berth = new BerthJar(temp);
  }

  @AfterEach
  void stop() throws Exception {
    if (child != null) {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
    berth.close();
  }

  @Test
  void run_childListeningOnIpv6LoopbackOnly_isAdvertisedAndReachableAtBracketedV6() throws Exception {
    berth.startRegistry();
    BerthJar.Started run = berth.start("run", "six", "--",
        "sh", "-c", "exec python3 -m http.server \"$PORT\" --bind ::1");

    String live = run.awaitLine("live on", Duration.ofSeconds(30));

    String port = live.replaceAll(".*live on \\[::1\\]:(\\d+).*", "$1");
    assertThat(live).contains("live on [::1]:" + port);
    BerthJar.Result resolved = berth.run("resolve", "six");
    assertThat(resolved.out).as(resolved.toString()).isEqualTo("[::1]:" + port + "\n");
    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://" + resolved.out.strip() + "/"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode()).isEqualTo(200);
    assertThat(berth.run("env").out).contains("export SIX_ADDR=[::1]:" + port + "\n");
    assertThat(berth.run("ls", "--json").out).contains("\"address\": \"[::1]:" + port + "\"");
  }

  @Test
  void run_whenASquatterTakesThePortBeforeTheChildListens_restartsItOnceOnAnotherPort()
      throws Exception {
    berth.startRegistry();
    BerthJar.Started run = berth.start("run", "web", "--", "sh", "-c",
        "sleep 1; exec python3 -m http.server \"$PORT\" --bind 127.0.0.1");
    Matcher waiting = WAITING.matcher(run.awaitLine("($PORT)", Duration.ofSeconds(30)));
    assertThat(waiting.find()).isTrue();
    int taken = Integer.parseInt(waiting.group(1));

    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken)); // during the sleep

      String restart = run.awaitLine("restarting it once", Duration.ofSeconds(30));
      String live = run.awaitLine("live on", Duration.ofSeconds(30));

      long me = ProcessHandle.current().pid();
      assertThat(restart).contains("port " + taken + " was taken by pid " + me);
      int port = Integer.parseInt(live.replaceAll(".*live on 127\\.0\\.0\\.1:(\\d+).*", "$1"));
      assertThat(port).isNotEqualTo(taken);
      assertThat(restart).endsWith("on port " + port);
      assertThat(run.err()).doesNotContain("live on 127.0.0.1:" + taken);
      assertThat(berth.run("resolve", "web").out).isEqualTo("127.0.0.1:" + port + "\n");
      BerthJar.Result conflicts = berth.run("conflicts", "--json");
      assertThat(conflicts.out).as(conflicts.toString())
          .contains("\"port\": " + taken + ", \"cause\": \"bind_failed\", \"holderPid\": " + me);
    }
  }

  @Test
  void who_withoutARegistry_answersFromProcAndNamesAJavaDebugAgent() throws Exception {
    Path out = temp.resolve("jdwp.out");
    child = new ProcessBuilder(BerthJar.java(),
        "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0",
        "-cp", BerthJar.TEST_CLASSES.toString(), Sleeper.class.getName())
        .redirectOutput(out.toFile())
        .redirectErrorStream(true)
        .start();
    int port = jdwpPort(out);

    BerthJar.Result who = berth.run("who", Integer.toString(port));

    assertThat(who.exitCode).as(who.toString()).isZero();
    assertThat(who.out).as(who.toString()).startsWith("port " + port + ": held by pid " + child.pid())
        // given port 0, the agent chose its own: who cannot tell it from the JVM's other ports
        .contains("-agentlib:jdwp", "(perhaps the Java debug agent (JDWP) of pid " + child.pid()
            + ", which chose its own port)");
    assertThat(who.errLines()).as(who.toString()).singleElement()
        .satisfies(l -> assertThat(l).contains("no Berth registry runs", "/proc"));

    // a registry.json left behind by a registry that is gone: the same answer
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    Files.writeString(berth.home().resolve("registry.json"),
        "{\"address\": \"127.0.0.1:" + dead + "\"}", StandardCharsets.UTF_8);
    BerthJar.Result stale = berth.run("who", Integer.toString(port));
    assertThat(stale.exitCode).as(stale.toString()).isZero();
    assertThat(stale.out).as(stale.toString()).isEqualTo(who.out);
    assertThat(stale.errLines()).as(stale.toString()).singleElement()
        .satisfies(l -> assertThat(l).contains("no Berth registry answers", "/proc"));
  }

  /** "Listening for transport dt_socket at address: N" (bounded wait). */
  private int jdwpPort(Path out) throws Exception {
    Pattern listening = Pattern.compile("Listening for transport dt_socket at address: (\\d+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && child.isAlive()) {
      Matcher m = listening.matcher(read(out));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the debug agent printed no port: " + read(out));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
