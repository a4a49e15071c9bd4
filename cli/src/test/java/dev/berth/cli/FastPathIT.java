package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.client.Berth;
import dev.berth.client.Claim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast path of {@code resolve}, {@code ls} and {@code env} (berth-launcher.jar, what
 * bin/berth runs) against the full CLI (berth.jar): the same command gives the same stdout,
 * stderr and exit code both ways, errors included. Whether the fast path answered alone is
 * shown by a copy of the launcher jar without berth.jar beside it: it can answer only what
 * needs no class of the big jar, and anything else fails there with NoClassDefFoundError.
 */
class FastPathIT {

  @TempDir
  static Path temp;

  static BerthJar berth;
  static Berth client;
  static Claim catalog;
  static Claim web;
  static Path lonely;
  static String registry;

  @BeforeAll
  static void registryAndTwoServices() throws Exception {
    berth = new BerthJar(temp);
    registry = berth.startRegistry();
    client = Berth.builder().stateDir(berth.home()).registry(registry).autoStart(false).build();
    catalog = client.claim("catalog", at -> BerthJar.listen(at.port()));
    web = client.claim("web-ui/http", at -> BerthJar.listen(at.port()));
    lonely = Files.createDirectories(temp.resolve("lonely")).resolve("berth-launcher.jar");
    Files.copy(BerthJar.LAUNCHER, lonely, StandardCopyOption.REPLACE_EXISTING);
  }


  @AfterAll
  static void stop() throws Exception {
    BerthJar.closeAll(web, catalog, client, berth);
  }

  @Test
  void resolve_answeredFast_printsWhatTheFullCliPrints() throws Exception {
    BerthJar.Result r = answeredAlikeAndFast("resolve", "catalog");
    assertThat(r.out).isEqualTo("127.0.0.1:" + catalog.port() + "\n");

    answeredAlikeAndFast("resolve", "web-ui/http", "--all");
    answeredAlikeAndFast("--home", berth.home().toString(), "resolve", "--all", "web-ui/http");
    answeredAlikeAndFast("resolve", "catalog/main", "--home=" + berth.home());
  }

  @Test
  void resolve_ofNoneLive_answeredFast_failsWithTheFullCliLine() throws Exception {
    BerthJar.Result none = answeredAlikeAndFast("resolve", "nosuch");
    BerthJar.Result typo = answeredAlikeAndFast("resolve", "web-ui");

    assertThat(none.exitCode).isEqualTo(1);
    assertThat(none.err).isEqualTo("berth: no live instance of 'nosuch'\n");
    assertThat(typo.err).isEqualTo("berth: no live instance of 'web-ui' (live: web-ui/http)\n");
  }

  @Test
  void lsAndEnv_answeredFast_printWhatTheFullCliPrints() throws Exception {
    answeredAlikeAndFast("ls", "--json");
    answeredAlikeAndFast("env");
    answeredAlikeAndFast("env", "--format", "markdown");
    answeredAlikeAndFast("env", "--format=DOTENV");

    // the table's last column is the uptime, which may tick between the two runs
    BerthJar.Result fast = berth.runJar(lonely, Map.of(), "ls");
    BerthJar.Result full = berth.runJar(BerthJar.JAR, Map.of(), "ls");
    assertThat(fast.exitCode).as(fast.toString()).isZero();
    assertThat(withoutLastColumn(fast.out)).isEqualTo(withoutLastColumn(full.out));
    assertThat(fast.out).contains("catalog  ", "127.0.0.1:" + catalog.port());
    assertThat(fast.err).isEqualTo(full.err).isEmpty();
  }

  @Test
  void ls_marksAServerOn0000_andNotTheLoopbackOnes_fastAsTheFullCli() throws Exception {
    BerthJar.Started open = berth.start("run", "open", "--", "python3", "-c",
        "import os, socket, time\n"
            + "s = socket.socket()\n"
            + "s.bind(('0.0.0.0', int(os.environ['PORT'])))\n"
            + "s.listen(8)\n"
            + "time.sleep(120)\n");
    try {
      open.awaitLine("live on", Duration.ofSeconds(30));

      BerthJar.Result fast = berth.runJar(lonely, Map.of(), "ls");
      BerthJar.Result full = berth.runJar(BerthJar.JAR, Map.of(), "ls");
      BerthJar.Result json = answeredAlikeAndFast("ls", "--json");

      assertThat(fast.exitCode).as(fast.toString()).isZero();
      assertThat(withoutLastColumn(fast.out)).isEqualTo(withoutLastColumn(full.out));
      assertThat(fast.out).containsPattern("(?m)^open +main +127\\.0\\.0\\.1:\\d+ ! +\\d+ ")
          .containsPattern("(?m)^catalog +main +127\\.0\\.0\\.1:" + catalog.port() + " +\\d+ ")
          .endsWith("\n! listens on 0.0.0.0 (every interface): reachable from other machines; "
              + "bind it to 127.0.0.1 to keep it local\n");
      assertThat(fast.out.split("!", -1)).as("one row marked, one legend").hasSize(3);
      assertThat(json.out).containsPattern("\"service\": \"open\", \"endpoint\": \"main\", "
              + "\"address\": \"127\\.0\\.0\\.1:\\d+\", \"listenAddress\": \"0\\.0\\.0\\.0\"")
          .contains("\"service\": \"catalog\", \"endpoint\": \"main\", \"address\": \"127.0.0.1:"
              + catalog.port() + "\", \"listenAddress\": \"127.0.0.1\"");
    } finally {
      open.process.descendants().forEach(ProcessHandle::destroyForcibly);
      open.process.destroyForcibly();
      open.process.waitFor(10, TimeUnit.SECONDS);
    }
    // gone before the next test compares its two runs
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (berth.runJar(lonely, Map.of(), "resolve", "open").exitCode == 0) {
      assertThat(System.nanoTime()).as("open still listed").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  @Test
  void whatItDoesNotKnowExactly_fallsThroughToTheFullCli() throws Exception {
    fallsThroughAlike(Map.of(), "resolve", "Bad_Name");        // usage error, exit 2
    fallsThroughAlike(Map.of(), "resolve", "a/b/c");
    fallsThroughAlike(Map.of(), "resolve", "catalog", "--verbose");
    fallsThroughAlike(Map.of(), "resolve", "catalog", "--all", "--all");
    fallsThroughAlike(Map.of(), "resolve", "--help");
    fallsThroughAlike(Map.of(), "ls", "--json", "extra");
    fallsThroughAlike(Map.of(), "env", "--format", "yaml");
    fallsThroughAlike(Map.of(), "who", String.valueOf(catalog.port()));
    fallsThroughAlike(Map.of("BERTH_REGISTRY", registry), "resolve", "catalog");
  }

  @Test
  void noRegistry_fallsThrough_withTheFullCliMessage() throws Exception {
    Path empty = Files.createDirectories(temp.resolve("empty"));
    BerthJar.Result r = fallsThroughAlike(Map.of("BERTH_HOME", empty.toString()), "resolve", "catalog");
    assertThat(r.exitCode).isEqualTo(1);
    assertThat(r.err).startsWith("berth: no Berth registry running");
  }

  @Test
  void wrongToken_fallsThrough_withTheFullCliMessage() throws Exception {
    Path token = berth.home().resolve("token");
    String kept = Files.readString(token);
    try {
      Files.writeString(token, "0".repeat(64) + "\n"); // the registry keeps its own in memory
      BerthJar.Result r = fallsThroughAlike(Map.of(), "resolve", "catalog");
      assertThat(r.exitCode).isEqualTo(1);
      assertThat(r.err).contains("refused the token");
    } finally {
      Files.writeString(token, kept);
    }
  }

  @Test
  void olderRegistryJson_withoutTheHttpSide_isAnsweredOverGrpc() throws Exception {
    Path json = berth.home().resolve("registry.json");
    String kept = Files.readString(json);
    try {
      Files.writeString(json, kept.replaceAll(",\\s*\"httpAddress\":\\s*\"[^\"]*\"", ""));
      assertThat(Files.readString(json)).doesNotContain("httpAddress");
      BerthJar.Result r = fallsThroughAlike(Map.of(), "resolve", "catalog");
      assertThat(r.exitCode).as(r.toString()).isZero();
      assertThat(r.out).isEqualTo("127.0.0.1:" + catalog.port() + "\n");
    } finally {
      Files.writeString(json, kept);
    }
  }

  /** Launcher and berth.jar agree, and the launcher alone gives that too: the fast path answered. */
  private static BerthJar.Result answeredAlikeAndFast(String... args) throws Exception {
    BerthJar.Result full = berth.runJar(BerthJar.JAR, Map.of(), args);
    BerthJar.Result launcher = berth.runJar(BerthJar.LAUNCHER, Map.of(), args);
    BerthJar.Result alone = berth.runJar(lonely, Map.of(), args);

    assertAlike(launcher, full);
    assertAlike(alone, full);
    return full;
  }

  /** Launcher and berth.jar agree, and the launcher alone could not: the full CLI answered. */
  private static BerthJar.Result fallsThroughAlike(Map<String, String> env, String... args)
      throws Exception {
    BerthJar.Result full = berth.runJar(BerthJar.JAR, env, args);
    BerthJar.Result launcher = berth.runJar(BerthJar.LAUNCHER, env, args);
    BerthJar.Result alone = berth.runJar(lonely, env, args);

    assertAlike(launcher, full);
    assertThat(alone.err).as(String.join(" ", args)).contains("NoClassDefFoundError");
    return full;
  }

  private static void assertAlike(BerthJar.Result actual, BerthJar.Result expected) {
    assertThat(actual.exitCode).as("exit code\n" + actual + "\nexpected\n" + expected)
        .isEqualTo(expected.exitCode);
    assertThat(actual.out).as("stdout").isEqualTo(expected.out);
    assertThat(actual.err).as("stderr").isEqualTo(expected.err);
  }

  private static String withoutLastColumn(String table) {
    return table.replaceAll("(?m)\\S+$", "");
  }
}
