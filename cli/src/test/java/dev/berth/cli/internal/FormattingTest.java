package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.berth.proto.v1.BerthHolder;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Free;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListResponse;
import dev.berth.proto.v1.ProcessInfo;
import dev.berth.proto.v1.WhoHasResponse;
import dev.berth.registry.internal.ProcessSockets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The pure pieces of the CLI's output: names, JSON quoting, uptime, table and who lines. */
class FormattingTest {

  private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

  private static ListResponse list() {
    return ListResponse.newBuilder()
        .addInstances(Instance.newBuilder().setService("web-ui").setInstanceId("web-ui-1").setPid(42)
            .setLiveSince(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 125))
            .addEndpoints(Endpoint.newBuilder().setName("http").setHost("127.0.0.1").setPort(61001))
            .addEndpoints(Endpoint.newBuilder().setName("main").setHost("127.0.0.1").setPort(61002)))
        .build();
  }

  @Test
  void serviceTarget_defaultsToMain_andRejectsNonLabels() {
    assertThat(ServiceTarget.parse("orders").endpoint).isEqualTo("main");
    assertThat(ServiceTarget.parse("gateway/http").toString()).isEqualTo("gateway/http");
    assertThatThrownBy(() -> ServiceTarget.parse("Orders"))
        .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("'Orders'");
    assertThatThrownBy(() -> ServiceTarget.parse("orders/"))
        .isInstanceOf(CommandLine.TypeConversionException.class).hasMessageContaining("endpoint name ''");
    assertThatThrownBy(() -> ServiceTarget.parse("a".repeat(70)))
        .isInstanceOf(CommandLine.TypeConversionException.class)
        .hasMessage("service name '" + "a".repeat(70) + "' (expected: NAME or NAME/ENDPOINT, each a DNS label "
            + "of 1 to 63 characters: lowercase letters, digits and '-', not starting or ending with '-'; "
            + "e.g. 'orders', 'gateway/http')");
    assertThatThrownBy(() -> ServiceTarget.parse("a/b/c"))
        .isInstanceOf(ServiceTarget.Refused.class)
        .hasMessageStartingWith("name 'a/b/c' has more than one '/' (expected: NAME or NAME/ENDPOINT, each");
  }

  @Test
  void envVariable_uppercasesAndReplacesDashes() {
    assertThat(EnvOutput.variable("catalog", "main")).isEqualTo("CATALOG_ADDR");
    assertThat(EnvOutput.variable("web-ui", "http")).isEqualTo("WEB_UI_HTTP_ADDR");
    assertThat(EnvOutput.variable("a", "debug-port")).isEqualTo("A_DEBUG_PORT_ADDR");
    assertThat(EnvOutput.variable("2fa", "main")).as("shell names cannot start with a digit").isEqualTo("_2FA_ADDR");
  }

  @Test
  void rows_oneLinePerEndpoint_withUptime() {
    List<InstanceRow> rows = InstanceRow.of(list());

    assertThat(rows).extracting(r -> r.endpoint).containsExactly("http", "main");
    assertThat(rows.get(0).address()).isEqualTo("127.0.0.1:61001");
    assertThat(rows.get(0).uptime(NOW)).isEqualTo("2m05s");
    assertThat(rows.get(0).uptime(NOW.plusSeconds(3 * 3600))).isEqualTo("3h02m");
  }

  @Test
  void rowAddress_isTheAddressText_forV4V6AndUnixSocketEndpoints() {
    Instance instance = Instance.newBuilder().setService("web").setInstanceId("web-1")
        .addEndpoints(Endpoint.newBuilder().setName("main").setPort(61001)) // an older registry: no host
        .addEndpoints(Endpoint.newBuilder().setName("six").setHost("::1").setPort(61002))
        .addEndpoints(Endpoint.newBuilder().setName("sock").setUnixPath("/run/user/1000/berth/web.sock"))
        .build();
    List<InstanceRow> rows = InstanceRow.of(ListResponse.newBuilder().addInstances(instance).build());

    assertThat(rows).extracting(InstanceRow::address)
        .containsExactly("127.0.0.1:61001", "[::1]:61002", "unix:/run/user/1000/berth/web.sock");
  }

  @Test
  void lsTable_marksAnEndpointListeningBeyondLoopback_andSaysWhatItMeans() {
    Instance web = Instance.newBuilder().setService("web").setInstanceId("web-1").setPid(7)
        .setLiveSince(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 5))
        .addEndpoints(Endpoint.newBuilder().setName("open").setHost("127.0.0.1").setPort(61001)
            .setListenAddress("0.0.0.0"))
        .addEndpoints(Endpoint.newBuilder().setName("local").setHost("127.0.0.1").setPort(61002)
            .setListenAddress("127.0.0.1"))
        .addEndpoints(Endpoint.newBuilder().setName("older").setHost("127.0.0.1").setPort(61003)) // unknown
        .build();
    StringWriter table = new StringWriter();
    StringWriter json = new StringWriter();

    LsOutput.table(InstanceRow.of(ListResponse.newBuilder().addInstances(web).build()),
        new PrintWriter(table, true), "", NOW);
    LsOutput.json(InstanceRow.of(ListResponse.newBuilder().addInstances(web).build()),
        new PrintWriter(json, true));

    assertThat(table.toString()).isEqualTo(""
        + "SERVICE  ENDPOINT  ADDRESS            PID  UPTIME\n"
        + "web      open      127.0.0.1:61001 !  7    5s\n"
        + "web      local     127.0.0.1:61002    7    5s\n"
        + "web      older     127.0.0.1:61003    7    5s\n"
        + "! listens on 0.0.0.0 (every interface): reachable from other machines; "
        + "bind it to 127.0.0.1 to keep it local\n");
    assertThat(json.toString())
        .contains("\"address\": \"127.0.0.1:61001\", \"listenAddress\": \"0.0.0.0\", \"port\": 61001")
        .contains("\"address\": \"127.0.0.1:61002\", \"listenAddress\": \"127.0.0.1\", \"port\": 61002")
        .contains("\"address\": \"127.0.0.1:61003\", \"listenAddress\": null, \"port\": 61003");
  }

  @Test
  void lsTable_withBothWildcards_namesBothInOneLegendLine() {
    List<InstanceRow> rows = List.of(
        new InstanceRow("", "a", "main", 1, "127.0.0.1:1", "::", 7, "a-1", null),
        new InstanceRow("", "b", "main", 2, "127.0.0.1:2", "0.0.0.0", 7, "b-1", null),
        new InstanceRow("", "c", "main", 3, "[::1]:3", "::1", 7, "c-1", null));
    StringWriter table = new StringWriter();

    LsOutput.table(rows, new PrintWriter(table, true), "  ", NOW);

    assertThat(table.toString()).contains("  a        main      127.0.0.1:1 !  7    -\n",
        "  c        main      [::1]:3        7    -\n");
    assertThat(table.toString()).endsWith(
        "\n  ! listens on 0.0.0.0 or :: (every interface): reachable from other machines; "
            + "bind it to 127.0.0.1 to keep it local\n");
  }

  @Test
  void lsJson_isAnArrayOfFlatObjects() {
    StringWriter out = new StringWriter();
    LsOutput.json(InstanceRow.of(list()), new PrintWriter(out, true));

    assertThat(out.toString()).startsWith("[\n  {\"service\": \"web-ui\", \"endpoint\": \"http\", "
        + "\"address\": \"127.0.0.1:61001\", \"listenAddress\": null, \"port\": 61001, \"pid\": 42, "
        + "\"instance\": \"web-ui-1\"");
    assertThat(out.toString()).endsWith("}\n]\n");
  }

  @Test
  void who_describesEachKindOfHolder() {
    BerthHolder holder = BerthHolder.newBuilder().setService("orders").setEndpoint("main")
        .setInstanceId("orders-1").setPid(7).build();
    assertThat(who(WhoHasResponse.newBuilder().setPort(61000).setBerth(holder)
        .setRememberedFor("orders/main").build()))
        .isEqualTo("port 61000: orders/main, instance orders-1 (pid 7)");
    assertThat(who(WhoHasResponse.newBuilder().setPort(61000)
        .setBerth(holder.toBuilder().setNamespace("shop-1a2b3c"))
        .setRememberedFor("orders/main in namespace shop-1a2b3c").build()))
        .isEqualTo("port 61000: orders/main in namespace shop-1a2b3c, instance orders-1 (pid 7)");
    assertThat(who(WhoHasResponse.newBuilder().setPort(61000).setBerth(holder)
        .setRememberedFor("orders/main in namespace shop-1a2b3c").build()))
        .isEqualTo("port 61000: orders/main, instance orders-1 (pid 7) "
            + "(remembered for orders/main in namespace shop-1a2b3c)");
    assertThat(who(WhoHasResponse.newBuilder().setPort(61000).setReserved(holder).build()))
        .isEqualTo("port 61000: reserved for orders/main, instance orders-1 (pid 7), not ready yet");
    assertThat(who(WhoHasResponse.newBuilder().setPort(8080)
        .setProcess(ProcessInfo.newBuilder().setPid(9).setCommandLine("python3 -m http.server")).build()))
        .isEqualTo("port 8080: held by pid 9 outside Berth: python3 -m http.server");
    assertThat(who(WhoHasResponse.newBuilder().setPort(61005)
        .setFree(Free.getDefaultInstance()).setRememberedFor("web/main").build()))
        .isEqualTo("port 61005: free (remembered for web/main)");
  }

  /** WhoLine with no /proc to read (pid 9 of this machine is nobody's business here) and no metadata. */
  private static String who(WhoHasResponse response) {
    return new WhoLine(ProcessSockets.unavailable(), Path.of("/nonexistent/berth"))
        .of(response, holder -> Optional.empty());
  }

  @Test
  void errorLines_areOneLine() {
    assertThat(ErrorReporter.oneLine("first\n  second\r\nthird ")).isEqualTo("first; second; third");
  }

  @Test
  void stackFileError_isItsFileLineColumnLine_withoutAClassName() {
    @picocli.CommandLine.Command(name = "up")
    class Failing implements java.util.concurrent.Callable<Integer> {
      @Override
      public Integer call() {
        throw new dev.berth.cli.internal.stack.StackFileException(new dev.berth.cli.internal.stack.SourceMark(
            java.nio.file.Path.of("/x/berth.yaml"), 4, 5), "services.orders: unknown key 'depends-on'");
      }
    }
    picocli.CommandLine cmd = new picocli.CommandLine(new Failing());
    java.io.StringWriter err = new java.io.StringWriter();
    cmd.setErr(new java.io.PrintWriter(err, true));
    cmd.setExecutionExceptionHandler(new ErrorReporter(() -> false)::failure);

    assertThat(cmd.execute()).isEqualTo(1);
    assertThat(err.toString()).isEqualTo("berth: /x/berth.yaml:4:5: services.orders: unknown key 'depends-on'"
        + System.lineSeparator());
  }
}
