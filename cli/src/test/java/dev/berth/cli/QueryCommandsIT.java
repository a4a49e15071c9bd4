package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.berth.client.Berth;
import dev.berth.client.Claim;
import dev.berth.testing.TestPools;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ls}, {@code resolve}, {@code who}, {@code env} and the error contract, run as the real
 * jar against a registry child process ({@code berth registry --port 0}) in a temp state dir.
 * Two services are registered from this JVM with the client library: {@code catalog} (main)
 * and {@code web-ui/http}.
 */
class QueryCommandsIT {

  @TempDir
  static Path temp;

  static BerthJar berth;
  static Berth client;
  static Claim catalog;
  static Claim web;

  @BeforeAll
  static void registryAndTwoServices() throws Exception {
    berth = new BerthJar(temp);
    String address = berth.startRegistry();
    client = Berth.builder().stateDir(berth.home()).registry(address).autoStart(false).build();
    catalog = client.claim("catalog", at -> BerthJar.listen(at.port()));
    web = client.claim("web-ui/http", at -> BerthJar.listen(at.port()));
  }


  @AfterAll
  static void stop() throws Exception {
    BerthJar.closeAll(web, catalog, client, berth);
  }

  @Test
  void lsJson_afterRegistering_listsEachEndpointWithAddressPortAndPid() throws Exception {
    BerthJar.Result ls = berth.run("ls", "--json");

    assertThat(ls.exitCode).as(ls.toString()).isZero();
    Struct.Builder wrapper = Struct.newBuilder();
    JsonFormat.parser().merge("{\"rows\": " + ls.out + "}", wrapper);
    List<Struct> rows = wrapper.getFieldsOrThrow("rows").getListValue().getValuesList().stream()
        .map(Value::getStructValue)
        // the registry's own berth/metrics is listed too
        .filter(r -> !r.getFieldsOrThrow("service").getStringValue().equals("berth"))
        .collect(Collectors.toList());
    assertThat(rows).hasSize(2);
    Struct first = rows.get(0);
    assertThat(first.getFieldsOrThrow("service").getStringValue()).isEqualTo("catalog");
    assertThat(first.getFieldsOrThrow("endpoint").getStringValue()).isEqualTo("main");
    assertThat((int) first.getFieldsOrThrow("port").getNumberValue()).isEqualTo(catalog.port());
    assertThat(first.getFieldsOrThrow("address").getStringValue()).isEqualTo("127.0.0.1:" + catalog.port());
    assertThat((long) first.getFieldsOrThrow("pid").getNumberValue()).isEqualTo(ProcessHandle.current().pid());
    assertThat(first.getFieldsOrThrow("instance").getStringValue()).isNotEmpty();
    Struct second = rows.get(1);
    assertThat(second.getFieldsOrThrow("service").getStringValue()).isEqualTo("web-ui");
    assertThat(second.getFieldsOrThrow("endpoint").getStringValue()).isEqualTo("http");
    assertThat((int) second.getFieldsOrThrow("port").getNumberValue()).isEqualTo(web.port());
  }

  /** The registry lists its own /metrics and /sd endpoint as berth/metrics. */
  private static int registryMetrics() {
    return client.resolve("berth/metrics").port();
  }

  @Test
  void registry_handsOutOnlyThePoolInItsEnvironment() {
    // BerthJar gives `berth registry` BERTH_PORTS: this test JVM's own ports, no neighbour's
    assertThat(List.of(catalog.port(), web.port(), registryMetrics()))
        .allSatisfy(port -> assertThat(berth.pool().contains(port)).as("%d in %s", port, berth.pool()).isTrue());
  }

  @Test
  void ls_printsTableWithOneLinePerEndpoint() throws Exception {
    BerthJar.Result ls = berth.run("ls");

    assertThat(ls.exitCode).as(ls.toString()).isZero();
    List<String> lines = ls.out.lines().collect(Collectors.toList());
    assertThat(lines.get(0)).matches("SERVICE\\s+ENDPOINT\\s+ADDRESS\\s+PID\\s+UPTIME");
    assertThat(lines.get(1)).matches("berth\\s+metrics\\s+127\\.0\\.0\\.1:" + registryMetrics() + "\\s+.*");
    assertThat(lines.get(2)).matches("catalog\\s+main\\s+127\\.0\\.0\\.1:" + catalog.port()
        + "\\s+" + ProcessHandle.current().pid() + "\\s+\\d+[smhd].*");
    assertThat(lines.get(3)).startsWith("web-ui").contains("http", "127.0.0.1:" + web.port());
  }

  @Test
  void resolve_knownService_printsTheAddressAndNothingElse() throws Exception {
    BerthJar.Result main = berth.run("resolve", "catalog");
    BerthJar.Result http = berth.run("resolve", "web-ui/http");

    assertThat(main.exitCode).as(main.toString()).isZero();
    assertThat(main.out).isEqualTo("127.0.0.1:" + catalog.port() + "\n");
    assertThat(http.out).isEqualTo("127.0.0.1:" + web.port() + "\n");
  }

  @Test
  void resolve_unknownService_exits1WithOneLine() throws Exception {
    BerthJar.Result r = berth.run("resolve", "nosuch");

    assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
    assertThat(r.out).isEmpty();
    assertThat(r.errLines()).singleElement().asString().contains("no live instance of 'nosuch'");
  }

  @Test
  void resolve_anEndpointTheServiceDoesNotHave_namesTheOnesThatAreLive() throws Exception {
    BerthJar.Result r = berth.run("resolve", "web-ui");

    assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
    assertThat(r.errLines()).singleElement().asString()
        .isEqualTo("berth: no live instance of 'web-ui' (live: web-ui/http)");
  }

  @Test
  void who_berthPort_namesTheInstance() throws Exception {
    BerthJar.Result r = berth.run("who", Integer.toString(web.port()));

    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.out).contains("port " + web.port() + ": web-ui/http", "pid " + ProcessHandle.current().pid());
  }

  @Test
  void who_foreignPort_namesTheProcessHoldingIt() throws Exception {
    try (ServerSocket foreign = BerthJar.listen(0)) {
      BerthJar.Result r = berth.run("who", Integer.toString(foreign.getLocalPort()));

      assertThat(r.exitCode).as(r.toString()).isZero();
      assertThat(r.out).contains("held by pid " + ProcessHandle.current().pid() + " outside Berth", "java");
    }
  }

  @Test
  void who_freePort_saysFree() throws Exception {
    // not a closed ephemeral port: any process's next connection may take that one
    int port = TestPools.port();
    BerthJar.Result r = berth.run("who", Integer.toString(port));

    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.out).startsWith("port " + port + ": free");
  }

  @Test
  void registryOption_whereNothingAnswers_pointsAtTheOptionNotAtBerthUp() throws Exception {
    String nowhere = "127.0.0.1:" + TestPools.port(); // a port of this JVM's own block: nobody listens
    BerthJar.Result r = berth.run("--registry", nowhere, "ls");

    assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
    assertThat(r.errLines()).singleElement().asString().isEqualTo("berth: no Berth registry answers at "
        + nowhere + " (from --registry): check the address, or drop --registry to use the state dir's");
  }

  @Test
  void env_shell_exportsOneAddressPerEndpoint() throws Exception {
    BerthJar.Result r = berth.run("env");

    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.out.lines()).containsExactly(
        "export BERTH_METRICS_ADDR=127.0.0.1:" + registryMetrics(),
        "export CATALOG_ADDR=127.0.0.1:" + catalog.port(),
        "export WEB_UI_HTTP_ADDR=127.0.0.1:" + web.port());
  }

  @Test
  void env_dotenv_printsPlainAssignments() throws Exception {
    BerthJar.Result r = berth.run("env", "--format", "dotenv");

    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.out.lines()).containsExactly(
        "BERTH_METRICS_ADDR=127.0.0.1:" + registryMetrics(),
        "CATALOG_ADDR=127.0.0.1:" + catalog.port(),
        "WEB_UI_HTTP_ADDR=127.0.0.1:" + web.port());
  }

  @Test
  void env_markdown_printsATable() throws Exception {
    BerthJar.Result r = berth.run("env", "--format", "markdown");

    assertThat(r.exitCode).as(r.toString()).isZero();
    assertThat(r.out.lines()).containsExactly(
        "| service | endpoint | address | variable |",
        "|---|---|---|---|",
        "| berth | metrics | `127.0.0.1:" + registryMetrics() + "` | `BERTH_METRICS_ADDR` |",
        "| catalog | main | `127.0.0.1:" + catalog.port() + "` | `CATALOG_ADDR` |",
        "| web-ui | http | `127.0.0.1:" + web.port() + "` | `WEB_UI_HTTP_ADDR` |");
  }

  @Test
  void usageErrors_exit2WithOneLine() throws Exception {
    for (String[] args : new String[][] {
      {"resolve"},
      {"resolve", "Not_A_Name"},
      {"who", "http"},
      {"who", "70000"},
      {"env", "--format", "yaml"},
      {"nosuch"},
      {"run", "web"},
      {"run", "web", "--port", "70000", "--", "true"},
      {"run", "web", "--port", "-1", "--", "true"},
      {"run", "web", "--ready-timeout", "0", "--", "true"},
      {"run", "web", "--ready-timeout", "600", "--", "true"},
      {"--registry", "nohost", "ls"},
      {"demo", "--ports", "5"},
      {"registry", "--port", "70000"},
      {"registry", "--ports", "9-1"},
      {"registry", "start", "--port", "70000"},
      {"registry", "start", "--default-port", "-1"},
      {"registry", "start", "--ports", "5-3"},
    }) {
      BerthJar.Result r = berth.run(args);
      assertThat(r.exitCode).as(String.join(" ", args) + "\n" + r).isEqualTo(2);
      assertThat(r.errLines()).as(String.join(" ", args)).singleElement().asString().startsWith("berth: ");
    }
  }

  @Test
  void who_notANumber_namesTheValueInOurWords() throws Exception {
    BerthJar.Result r = berth.run("who", "http");

    assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).singleElement().asString()
        .isEqualTo("berth: port 'http' (expected: a number, 1..65535) (see 'berth who --help')");
  }

  @Test
  void resolve_badName_isOneLineInOurWords_withoutPicocliPrefix() throws Exception {
    BerthJar.Result r = berth.run("resolve", "a/b/c");

    assertThat(r.exitCode).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).singleElement().asString()
        .startsWith("berth: name 'a/b/c' has more than one '/' (expected: NAME or NAME/ENDPOINT")
        .endsWith("(see 'berth resolve --help')");
  }

  @Test
  void help_onEverySubcommand_exits0() throws Exception {
    for (String command : List.of("registry", "registry start", "registry stop", "ls", "resolve", "who",
        "run", "env", "demo", "conflicts", "top")) {
      List<String> args = new ArrayList<>(List.of(command.split(" ")));
      args.add("--help");
      BerthJar.Result r = berth.run(args.toArray(String[]::new));
      assertThat(r.exitCode).as(command + "\n" + r).isZero();
      assertThat(r.out).as(command).contains("Usage: berth " + command);
    }
  }

  @Test
  void noRegistry_exits1NamingTheStateDirAndBerthRegistryStart(@TempDir Path empty) throws Exception {
    try (BerthJar nowhere = new BerthJar(empty)) {
      BerthJar.Result r = nowhere.run("ls");

      assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
      assertThat(r.errLines()).singleElement().asString()
          .contains(nowhere.home().toString(), "berth registry start");
    }
  }

  @Test
  void staleRegistryJson_isNotDialled_andExits1NamingTheStateDirAndBerthRegistryStart(@TempDir Path stale)
      throws Exception {
    // what a registry killed with -9 leaves: registry.json naming a port someone else holds
    // now, and nobody holding the state dir's lifetime lock
    try (BerthJar nowhere = new BerthJar(stale);
        ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      squatter.setSoTimeout(1);
      Files.writeString(nowhere.home().resolve("registry.json"), "{\"address\": \"127.0.0.1:"
          + squatter.getLocalPort() + "\", \"pid\": \"" + ProcessHandle.current().pid() + "\"}");

      BerthJar.Result r = nowhere.run("ls");

      assertThat(r.exitCode).as(r.toString()).isEqualTo(1);
      assertThat(r.errLines()).singleElement().asString()
          .contains(nowhere.home().toString(), "berth registry start",
              "registry.json is stale: pid " + ProcessHandle.current().pid() + " no longer runs a registry here");
      assertThatThrownBy(squatter::accept).as("a connection to the port the stale file names")
          .isInstanceOf(SocketTimeoutException.class);
    }
  }
}
