package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.internal.stack.ServiceSpec.LeaseMode;
import dev.berth.cli.internal.stack.ServiceSpec.ReadyCheck;
import dev.berth.cli.internal.stack.ServiceSpec.RestartPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding and reading a whole berth.yaml; the errors are in StackYamlErrorsTest. */
class StackFilesTest {

  static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

  @TempDir Path dir;

  @Test
  void load_fullFile_readsEveryKey() throws IOException {
    Files.createDirectories(dir.resolve("web"));
    write("berth.yaml", """
        # yaml-language-server: $schema=../docs/berth.schema.json
        name: shop
        services:
          catalog:
            command: [python3, -m, http.server, 8080]
          orders:
            command: sleep 1000
            dir: web
            env:
              CATALOG: ${catalog}
              N: 3
              DEBUG: true
            endpoints: [http, admin]
            ready: {http: /health, endpoint: admin, timeout: 5s}
            restart: {policy: always, max_restarts: 3, window: 2m, backoff: 500ms, max_backoff: 4s}
            instances: 2
            lease: self
          gateway:
            command: [sh, -c, 'exec sleep 1000']
            depends_on: [orders]
            ready: {tcp: true}
            restart: no
        """);

    StackFile stack = StackFiles.load(dir, Optional.empty(), ENV);

    assertThat(stack.file()).isEqualTo(dir.resolve("berth.yaml"));
    assertThat(stack.dir()).isEqualTo(dir);
    assertThat(stack.kind()).isEqualTo(StackFile.Kind.BERTH_YAML);
    assertThat(stack.name()).isEqualTo("shop");
    assertThat(stack.namespace()).isEqualTo(StackNamespace.forDir(dir));
    assertThat(stack.services()).extracting(ServiceSpec::name).containsExactly("catalog", "orders", "gateway");

    ServiceSpec catalog = stack.service("catalog").orElseThrow();
    assertThat(catalog.command()).containsExactly("python3", "-m", "http.server", "8080");
    assertThat(catalog.dir()).isEqualTo(dir);
    assertThat(catalog.endpoints()).containsExactly("main");
    assertThat(catalog.dependsOn()).isEmpty();
    assertThat(catalog.ready()).isEmpty();
    assertThat(catalog.restart()).isEqualTo(RestartPolicy.DEFAULT);
    assertThat(catalog.instances()).isEqualTo(1);
    assertThat(catalog.lease()).isEqualTo(LeaseMode.RUNNER);
    assertThat(catalog.mark()).isEqualTo(new SourceMark(dir.resolve("berth.yaml"), 4, 3));

    ServiceSpec orders = stack.service("orders").orElseThrow();
    assertThat(orders.command()).containsExactly("sh", "-c", "sleep 1000");
    assertThat(orders.dir()).isEqualTo(dir.resolve("web"));
    assertThat(orders.env()).containsExactly(Map.entry("CATALOG", "${catalog}"), Map.entry("N", "3"),
        Map.entry("DEBUG", "true"));
    assertThat(orders.endpoints()).containsExactly("http", "admin");
    assertThat(orders.dependsOn()).containsExactly("catalog");
    assertThat(orders.ready()).contains(new ReadyCheck(ReadyCheck.Kind.HTTP, "admin", "/health",
        Duration.ofSeconds(5)));
    assertThat(orders.restart()).isEqualTo(new RestartPolicy(RestartPolicy.Mode.ALWAYS, 3,
        Duration.ofMinutes(2), Duration.ofMillis(500), Duration.ofSeconds(4)));
    assertThat(orders.instances()).isEqualTo(2);
    assertThat(orders.lease()).isEqualTo(LeaseMode.SELF);

    ServiceSpec gateway = stack.service("gateway").orElseThrow();
    assertThat(gateway.dependsOn()).containsExactly("orders");
    assertThat(gateway.ready()).contains(new ReadyCheck(ReadyCheck.Kind.TCP, "main", "",
        ServiceReader.DEFAULT_READY_TIMEOUT));
    assertThat(gateway.restart().mode()).isEqualTo(RestartPolicy.Mode.NO);
    assertThat(gateway.restart().maxRestarts()).isEqualTo(RestartPolicy.DEFAULT.maxRestarts());
  }

  @Test
  void envReferences_toServicesOfTheFile_areDependencies_othersAreLeftToTheRegistry() throws IOException {
    write("berth.yaml", """
        services:
          gateway:
            command: [sleep, '1']
            depends_on: [orders]
            env:
              ORDERS: ${orders/http.url}
              CATALOG: http://${catalog.host}:${catalog.port}
              PAYMENTS: ${payments}
              LITERAL: $${auth}
          orders:
            command: [sleep, '1']
            endpoints: [http]
          catalog:
            command: [sleep, '1']
          auth:
            command: [sleep, '1']
        """);

    StackFile stack = StackFiles.load(dir, Optional.empty(), ENV);

    assertThat(stack.service("gateway").orElseThrow().dependsOn()).containsExactly("orders", "catalog");
    assertThat(StackGraph.of(stack).levels())
        .containsExactly(List.of("orders", "catalog", "auth"), List.of("gateway"));
  }

  @Test
  void load_fromSubdirectory_findsTheNearestBerthYaml() throws IOException {
    write("berth.yaml", "services:\n  a:\n    command: [sleep, '1']\n");
    Path sub = Files.createDirectories(dir.resolve("src/main"));

    StackFile stack = StackFiles.load(sub, Optional.empty(), ENV);

    assertThat(stack.file()).isEqualTo(dir.resolve("berth.yaml"));
    assertThat(stack.name()).isEqualTo(dir.getFileName().toString());
  }

  @Test
  void load_berthYamlBesideProcfile_prefersBerthYaml() throws IOException {
    write("berth.yaml", "services:\n  a:\n    command: [sleep, '1']\n");
    write("Procfile", "web: sleep 1\n");

    assertThat(StackFiles.load(dir, Optional.empty(), ENV).kind()).isEqualTo(StackFile.Kind.BERTH_YAML);
  }

  @Test
  void load_explicitFile_isReadRelativeToCwd() throws IOException {
    Path other = Files.createDirectories(dir.resolve("other"));
    Files.writeString(other.resolve("stack.yml"), "services:\n  a:\n    command: [sleep, '1']\n");

    StackFile stack = StackFiles.load(dir, Optional.of(Path.of("other/stack.yml")), ENV);

    assertThat(stack.file()).isEqualTo(other.resolve("stack.yml"));
    assertThat(stack.dir()).isEqualTo(other);
    assertThat(stack.namespace()).isEqualTo(StackNamespace.forDir(other));
  }

  @Test
  void load_explicitProcfileDev_isReadAsProcfile() throws IOException {
    write("Procfile.dev", "web: sleep 1\n");

    StackFile stack = StackFiles.load(dir, Optional.of(Path.of("Procfile.dev")), ENV);

    assertThat(stack.kind()).isEqualTo(StackFile.Kind.PROCFILE);
  }

  @Test
  void load_noStackFile_namesWhereItLookedAndTheFix() {
    Path empty = dir.resolve("nothing");
    assertThatThrownBy(() -> StackFiles.load(dir, Optional.of(empty), ENV))
        .isInstanceOf(StackFileException.class)
        .hasMessage("no such file: " + empty + " (expected: a berth.yaml or a Procfile)");
  }

  @Test
  void load_noStackFileUpToTheRoot_saysWhereAndTheFix() throws IOException {
    // /proc/self has no stack file above it on any machine the tests run on
    Path start = Path.of("/proc/self/fdinfo");
    assertThatThrownBy(() -> StackFiles.load(start, Optional.empty(), ENV))
        .isInstanceOf(StackFileException.class)
        .hasMessage("no berth.yaml or Procfile in /proc/self/fdinfo or any parent (create one, or give -f FILE)");
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text);
  }
}
