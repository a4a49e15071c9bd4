package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.local.StateDir;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth dashboard} against a real registry child: the URL it prints signs a browser in
 * once (the owner cookie: a random session id, with its attributes), {@code --read-only}
 * never touches the token, and each thing that can be missing is one line naming it.
 */
class DashboardCommandIT {

  private static final Pattern SIGN_IN =
      Pattern.compile("^http://127\\.0\\.0\\.1:(\\d+)/dashboard/login\\?code=([A-Za-z0-9_-]{16,})$");

  @TempDir
  static Path temp;

  static BerthJar berth;
  static int httpPort;
  static String registryAddress;
  static HttpClient http;

  @BeforeAll
  static void registry() throws Exception {
    berth = new BerthJar(temp);
    registryAddress = berth.startRegistry();
    String httpAddress = StateDir.of(berth.home()).readRegistryInfo().orElseThrow().getHttpAddress();
    assertThat(httpAddress).matches("127\\.0\\.0\\.1:\\d+");
    httpPort = Integer.parseInt(httpAddress.substring(httpAddress.indexOf(':') + 1));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(); // follows no redirect
  }

  @AfterAll
  static void stop() throws Exception {
    BerthJar.closeAll(berth);
  }

  @Test
  void dashboard_printsAUrlWhoseCodeSignsInOnce() throws Exception {
    BerthJar.Result r = berth.run("dashboard");

    assertThat(r.exitCode).as(r.toString()).isZero();
    String[] lines = r.out.split("\n");
    assertThat(lines).as(r.out).hasSize(2);
    Matcher url = SIGN_IN.matcher(lines[0]);
    assertThat(url.matches()).as(lines[0]).isTrue();
    assertThat(Integer.parseInt(url.group(1))).isEqualTo(httpPort);
    assertThat(lines[1]).contains("once, within 60 s")
        .contains("http://127.0.0.1:" + httpPort + "/dashboard/ is the read-only page");

    HttpResponse<String> first = login(url.group(2));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(303);
    assertThat(first.headers().firstValue("Location")).hasValue("/dashboard/");
    assertThat(first.headers().allValues("Set-Cookie")).singleElement().asString()
        .matches("berth-dashboard-" + httpPort + "=[A-Za-z0-9_-]{22}; Max-Age=43200; Path=/dashboard;"
            + " HttpOnly; SameSite=Strict") // a random session of the registry's, good for 12 h
        .doesNotContain(token());

    HttpResponse<String> again = login(url.group(2));
    assertThat(again.statusCode()).isEqualTo(403);
    assertThat(again.headers().allValues("Set-Cookie")).isEmpty();
    assertThat(again.body()).contains("berth dashboard");
  }

  @Test
  void json_givesBothUrlsAndTheLifetime() throws Exception {
    BerthJar.Result r = berth.run("dashboard", "--json");

    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.out).matches("\\{\"url\": \"http://127\\.0\\.0\\.1:" + httpPort + "/dashboard/\", "
        + "\"signInUrl\": \"http://127\\.0\\.0\\.1:" + httpPort + "/dashboard/login\\?code=[A-Za-z0-9_-]+\", "
        + "\"expiresInSeconds\": 60}\n");
    String code = r.out.replaceAll("(?s).*code=([A-Za-z0-9_-]+)\".*", "$1");
    assertThat(login(code).statusCode()).isEqualTo(303);
  }

  @Test
  void readOnly_printsThePlainUrl_andNeverUsesTheToken() throws Exception {
    Path token = berth.home().resolve(StateDir.TOKEN);
    String kept = Files.readString(token);
    try {
      // a token the registry does not know: minting is refused, the read-only page needs none
      Files.writeString(token, "0".repeat(64) + "\n");
      BerthJar.Result readOnly = berth.run("dashboard", "--read-only");
      BerthJar.Result minting = berth.run("dashboard");

      assertThat(readOnly.exitCode).as(readOnly.toString()).isZero();
      assertThat(readOnly.out).isEqualTo("http://127.0.0.1:" + httpPort + "/dashboard/\n");
      assertThat(readOnly.err).isEmpty();
      assertThat(minting.exitCode).isEqualTo(1);
      assertThat(minting.out).isEmpty();
      assertThat(minting.err).isEqualTo("berth: the registry at 127.0.0.1:" + httpPort
          + " refused the token in " + token + ": it belongs to another state dir (use --home)\n");
    } finally {
      Files.writeString(token, kept);
    }
  }

  @Test
  void registryFlag_namingThisStateDirsRegistry_mints() throws Exception {
    BerthJar.Result r = berth.run("--registry", registryAddress, "dashboard");

    assertThat(r.exitCode).as(r.toString()).isZero();
    Matcher url = SIGN_IN.matcher(r.out.split("\n")[0]);
    assertThat(url.matches()).as(r.out).isTrue();
    assertThat(login(url.group(2)).statusCode()).isEqualTo(303);
  }

  @Test
  void registryFlag_namingAnotherStateDirsRegistry_printsTheReadOnlyUrl_andSendsItNoToken() throws Exception {
    // both state dirs hold the first registry's token, so its gRPC side answers them (one that
    // refuses the token stops there, with its own message) and only the check keeps the token
    // from its HTTP side: a registry that is not theirs may answer berth/metrics with anything
    try (BerthJar other = new BerthJar(Files.createDirectories(temp.resolve("other")))) {
      ownerOnlyCopy(berth.home().resolve(StateDir.TOKEN), other.home().resolve(StateDir.TOKEN));
      other.startRegistry(); // keeps the token it finds
      String otherHttp = StateDir.of(other.home()).readRegistryInfo().orElseThrow().getHttpAddress();
      Path idle = Files.createDirectories(temp.resolve("idle"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      ownerOnlyCopy(berth.home().resolve(StateDir.TOKEN), idle.resolve(StateDir.TOKEN));

      BerthJar.Result running = other.run("--registry", registryAddress, "dashboard");
      BerthJar.Result none = berth.runJar(BerthJar.JAR, Map.of("BERTH_REGISTRY", registryAddress),
          "--home", idle.toString(), "dashboard", "--json");

      assertThat(running.exitCode).as(running.toString()).isZero();
      assertThat(running.out).isEqualTo("http://127.0.0.1:" + httpPort + "/dashboard/\n");
      assertThat(running.err).isEqualTo("berth dashboard: no sign-in URL: the registry at " + registryAddress
          + " (127.0.0.1:" + httpPort + ") is not " + other.home() + "'s (that one serves " + otherHttp
          + "), whose token it would get; run berth dashboard with --home of that registry's state dir"
          + " for one\n");
      assertThat(none.exitCode).as(none.toString()).isZero();
      assertThat(none.out).isEqualTo("{\"url\": \"http://127.0.0.1:" + httpPort + "/dashboard/\"}\n");
      assertThat(none.err).contains("is not " + idle + "'s (none runs in " + idle + ")");
    }
  }

  @Test
  void open_withoutADisplay_saysWhyAndStillPrintsTheUrl() throws Exception {
    BerthJar.Result r = berth.runJar(BerthJar.JAR, Map.of("DISPLAY", "", "WAYLAND_DISPLAY", ""),
        "dashboard", "--open", "--read-only");

    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.out).isEqualTo("http://127.0.0.1:" + httpPort + "/dashboard/\n");
    assertThat(r.err).isEqualTo("berth dashboard: no display (neither DISPLAY nor WAYLAND_DISPLAY is set);"
        + " open the URL above by hand\n");
  }

  @Test
  void open_codeGoodForTenSeconds_becauseTheOpenersArgvIsReadable() throws Exception {
    BerthJar.Result r = berth.runJar(BerthJar.JAR, Map.of("DISPLAY", "", "WAYLAND_DISPLAY", ""),
        "dashboard", "--open", "--json");

    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.out).endsWith(", \"expiresInSeconds\": 10}\n");
    String code = r.out.replaceAll("(?s).*code=([A-Za-z0-9_-]+)\".*", "$1");
    assertThat(login(code).statusCode()).isEqualTo(303);
  }

  @Test
  void noRegistry_orOneThatIsGone_isOneLine() throws Exception {
    Path empty = Files.createDirectories(temp.resolve("empty"));
    Path gone = Files.createDirectories(temp.resolve("gone"));
    // registry.json left by a registry that no longer holds the lifetime lock
    Files.copy(berth.home().resolve(StateDir.REGISTRY_JSON), gone.resolve(StateDir.REGISTRY_JSON));

    BerthJar.Result none = berth.run("--home", empty.toString(), "dashboard");
    BerthJar.Result left = berth.run("--home", gone.toString(), "dashboard");

    assertThat(none.exitCode).isEqualTo(1);
    assertThat(none.out).isEmpty();
    assertThat(none.err).isEqualTo("berth: no Berth registry running (no registry.json in " + empty
        + "): start one with 'berth registry start'\n");
    assertThat(left.exitCode).isEqualTo(1);
    assertThat(left.err).startsWith("berth: no Berth registry running in " + gone)
        .endsWith("left by one that is gone): start one with 'berth registry start'\n");
  }

  @Test
  void registryWithoutAnHttpSide_isOneLine() throws Exception {
    Path json = berth.home().resolve(StateDir.REGISTRY_JSON);
    String kept = Files.readString(json);
    try {
      Files.writeString(json, kept.replaceAll(",\\s*\"httpAddress\":\\s*\"[^\"]*\"", ""));
      assertThat(Files.readString(json)).doesNotContain("httpAddress");
      BerthJar.Result r = berth.run("dashboard");

      assertThat(r.exitCode).isEqualTo(1);
      assertThat(r.err).startsWith("berth: the registry at 127.0.0.1:").contains("has no HTTP side")
          .endsWith("restart it with 'berth registry stop' and 'berth registry start'\n");
    } finally {
      Files.writeString(json, kept);
    }
  }

  private static HttpResponse<String> login(String code) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/dashboard/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .timeout(Duration.ofSeconds(5))
        .POST(HttpRequest.BodyPublishers.ofString("code=" + code)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void ownerOnlyCopy(Path from, Path to) throws Exception {
    Files.copy(from, to);
    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
  }

  private static String token() throws Exception {
    return Files.readString(berth.home().resolve(StateDir.TOKEN)).strip();
  }
}
