package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth run}: the child gets its port in the environment, is resolvable exactly while it
 * lives and listens, receives forwarded signals, and its exit code becomes berth's.
 */
class RunIT {

  @TempDir
  Path temp;

  BerthJar berth;
  String registry;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void registry() throws Exception {
    berth = new BerthJar(temp);
    registry = berth.startRegistry();
  }

  @AfterEach
  void stop() throws Exception {
    berth.close();
  }

  private BerthJar.Started runTinyServer() throws Exception {
    return berth.start("run", "web/http", "--",
        BerthJar.java(), "-XX:TieredStopAtLevel=1", "-cp", BerthJar.TEST_CLASSES.toString(),
        TinyHttpServer.class.getName());
  }

  /** Resolves {@code name} with the CLI until it answers (bounded). */
  private String awaitResolvable(String name) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    BerthJar.Result r;
    do {
      r = berth.run("resolve", name);
      if (r.exitCode == 0) {
        return r.out.strip();
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("never resolvable: " + r);
  }

  private String get(String address, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://" + address + path))
        .timeout(java.time.Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void run_childListening_isResolvableWhileItLives_goneAfterIt_exitCodePropagated() throws Exception {
    BerthJar.Started run = runTinyServer();
    run.awaitLine("live on", Duration.ofSeconds(30));

    String address = awaitResolvable("web/http");
    String port = address.substring(address.indexOf(':') + 1);
    assertThat(berth.pool().contains(Integer.parseInt(port))).as(port + " in " + berth.pool()).isTrue();
    assertThat(get(address, "/env"))
        .isEqualTo("PORT=" + port + " BERTH_PORT_HTTP=" + port + " BERTH_REGISTRY=" + registry);

    get(address, "/exit?code=7");
    BerthJar.Result result = run.await(Duration.ofSeconds(20));

    assertThat(result.exitCode).as(result.toString()).isEqualTo(7);
    BerthJar.Result gone = berth.run("resolve", "web/http");
    assertThat(gone.exitCode).as(gone.toString()).isEqualTo(1);
  }

  @Test
  void run_sigterm_isForwardedToTheChild_andNoChildIsLeft() throws Exception {
    BerthJar.Started run = runTinyServer();
    run.awaitLine("live on", Duration.ofSeconds(30));
    awaitResolvable("web/http");
    ProcessHandle child = run.process.children().findFirst().orElseThrow();

    run.process.destroy(); // SIGTERM to berth run only
    BerthJar.Result result = run.await(Duration.ofSeconds(20));

    // the JVM child ends on SIGTERM with 128 + 15
    assertThat(result.exitCode).as(result.toString()).isEqualTo(143);
    assertThat(child.isAlive()).isFalse();
    assertThat(berth.run("resolve", "web/http").exitCode).isEqualTo(1);
  }

  @Test
  void run_childThatNeverListens_exitsWithItsCode() throws Exception {
    // --port 0 is "let the registry choose", as the registry's own refusals say
    BerthJar.Result result = berth.start("run", "quick", "--port", "0", "--", "sh", "-c", "exit 3")
        .await(Duration.ofSeconds(30));

    assertThat(result.exitCode).as(result.toString()).isEqualTo(3);
    assertThat(result.errLines()).anyMatch(l -> l.contains("exited with code 3 before it listened"));
  }

  @Test
  void run_commandThatDoesNotExist_exits127WithOneLineSayingSo() throws Exception {
    BerthJar.Result result = berth.start("run", "quick", "--", "no-such-command-for-berth")
        .await(Duration.ofSeconds(30));

    assertThat(result.exitCode).as(result.toString()).isEqualTo(127);
    assertThat(result.errLines()).singleElement().asString()
        .isEqualTo("berth: cannot run 'no-such-command-for-berth': no such file, and no such program on $PATH");
  }

  @Test
  void run_pythonHttpServer_joinsByName() throws Exception {
    assumeTrue(onPath("python3"), "python3 is not installed");
    BerthJar.Started run = berth.start("run", "docs", "--",
        "sh", "-c", "exec python3 -m http.server \"$PORT\" --bind 127.0.0.1");
    run.awaitLine("live on", Duration.ofSeconds(30));

    String address = awaitResolvable("docs");
    assertThat(http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/"))
        .timeout(java.time.Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

    run.process.destroy();
    run.await(Duration.ofSeconds(20));
    assertThat(berth.run("resolve", "docs").exitCode).isEqualTo(1);
  }

  private static boolean onPath(String program) {
    try {
      return new ProcessBuilder("sh", "-c", "command -v " + program).start().waitFor() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
