package dev.berth.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.internal.stack.StackNamespace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's choice of namespace, its view of the instances through it, and ls's column. */
class NamespaceChoiceTest {

  private static final Instant NOW = Instant.parse("2026-12-02T04:00:00Z");

  @TempDir Path temp;

  private static InstanceRow row(String namespace, String service, String endpoint, int port) {
    return new InstanceRow(namespace, service, endpoint, port, "127.0.0.1:" + port, 7, service + "-1",
        NOW.minusSeconds(5));
  }

  @Test
  void of_isTheFlag_elseTheVariable_elseTheStackOfTheDirectory_elseTheDefault() throws Exception {
    Path stack = Files.createDirectories(temp.resolve("shop"));
    Files.writeString(stack.resolve("berth.yaml"), "services: {}\n");
    Path inside = Files.createDirectories(stack.resolve("src/main"));
    Path outside = Files.createDirectories(temp.resolve("elsewhere"));
    String shop = StackNamespace.forDir(stack);

    assertThat(NamespaceChoice.of("a", "b", inside)).isEqualTo("a");
    assertThat(NamespaceChoice.of(null, "b", inside)).isEqualTo("b");
    assertThat(NamespaceChoice.of(null, " ", inside)).as("blank counts as unset").isEqualTo(shop);
    assertThat(NamespaceChoice.of(null, null, stack)).isEqualTo(shop).startsWith("shop-");
    assertThat(NamespaceChoice.of("default", null, inside)).isEmpty();
    assertThat(NamespaceChoice.of(null, "default", inside)).isEmpty();
    assertThat(NamespaceChoice.of(null, null, outside)).isEmpty();
  }

  @Test
  void filter_isOnlyTheFlagOrTheVariable_neverTheStack() {
    assertThat(NamespaceChoice.filter(null, null)).isNull();
    assertThat(NamespaceChoice.filter(null, "")).isNull();
    assertThat(NamespaceChoice.filter("default", "b")).isEmpty();
    assertThat(NamespaceChoice.filter(null, "b")).isEqualTo("b");
    assertThatThrownBy(() -> NamespaceChoice.filter("Shop", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--namespace: 'Shop' (expected: 'default' or '' for the default namespace");
    assertThatThrownBy(() -> NamespaceChoice.filter(null, "x_y"))
        .hasMessageStartingWith("BERTH_NAMESPACE: 'x_y' (expected: ");
  }

  @Test
  void visible_isTheNamespacesOwnPerEndpoint_elseTheDefaults_neverAnothers() {
    List<InstanceRow> rows = List.of(row("", "catalog", "main", 1), row("a", "catalog", "main", 2),
        row("b", "catalog", "main", 3), row("", "web", "http", 4), row("b", "web", "main", 5));

    assertThat(NamespaceChoice.visible(rows, "a")).extracting(r -> r.port).containsExactly(2, 4);
    assertThat(NamespaceChoice.visible(rows, "b")).extracting(r -> r.port).containsExactly(3, 4, 5);
    assertThat(NamespaceChoice.visible(rows, "c")).extracting(r -> r.port).containsExactly(1, 4);
    assertThat(NamespaceChoice.visible(rows, "")).extracting(r -> r.port).containsExactly(1, 4);
    assertThat(NamespaceChoice.only(rows, "")).extracting(r -> r.port).containsExactly(1, 4);
    assertThat(NamespaceChoice.only(rows, "b")).extracting(r -> r.port).containsExactly(3, 5);
  }

  @Test
  void lsTable_hasANamespaceColumnFirst_onlyWhenAnyRowIsInOne() {
    StringWriter plain = new StringWriter();
    LsOutput.table(List.of(row("", "web", "main", 1)), new PrintWriter(plain, true), "", NOW);
    StringWriter named = new StringWriter();
    LsOutput.table(List.of(row("", "web", "main", 1), row("shop-1a2b3c", "web", "main", 2)),
        new PrintWriter(named, true), "", NOW);

    assertThat(plain.toString()).startsWith("SERVICE  ENDPOINT  ADDRESS  ");
    assertThat(named.toString()).isEqualTo(""
        + "NAMESPACE    SERVICE  ENDPOINT  ADDRESS      PID  UPTIME\n"
        + "-            web      main      127.0.0.1:1  7    5s\n"
        + "shop-1a2b3c  web      main      127.0.0.1:2  7    5s\n");
    assertThat(LsOutput.none("127.0.0.1:9", "")).isEqualTo("no live services in namespace default (registry 127.0.0.1:9)");
    assertThat(LsOutput.none("127.0.0.1:9", null)).isEqualTo("no live services (registry 127.0.0.1:9)");
  }

  @Test
  void lsJson_namesEachRowsNamespace() {
    StringWriter out = new StringWriter();
    LsOutput.json(List.of(row("", "web", "main", 1), row("shop-1", "web", "main", 2)), new PrintWriter(out, true));

    assertThat(out.toString()).isEqualTo("[\n"
        + "  {\"service\": \"web\", \"endpoint\": \"main\", \"address\": \"127.0.0.1:1\", "
        + "\"listenAddress\": null, \"port\": 1, "
        + "\"pid\": 7, \"instance\": \"web-1\", \"liveSince\": \"2026-12-02T03:59:55Z\"},\n"
        + "  {\"service\": \"web\", \"namespace\": \"shop-1\", \"endpoint\": \"main\", \"address\": "
        + "\"127.0.0.1:2\", \"listenAddress\": null, \"port\": 2, \"pid\": 7, \"instance\": \"web-1\", \"liveSince\": "
        + "\"2026-12-02T03:59:55Z\"}\n"
        + "]\n");
  }
}
