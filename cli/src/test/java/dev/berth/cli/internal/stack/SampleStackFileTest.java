package dev.berth.cli.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.internal.stack.ServiceSpec.LeaseMode;
import dev.berth.cli.internal.stack.ServiceSpec.ReadyCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** sample-services/berth.yaml, the stack {@code berth demo} and the README run, is valid and says what they say. */
class SampleStackFileTest {

  private static final Path FILE = Path.of("..", "sample-services", "berth.yaml").toAbsolutePath().normalize();

  @Test
  void sampleStack_loads_withItsDependencyChainLeasesAndReadyCheck() throws Exception {
    StackFile stack = StackFiles.load(Path.of(""), Optional.of(FILE));

    assertThat(stack.services()).extracting(ServiceSpec::name).containsExactly("catalog", "orders", "gateway", "inventory", "web");
    assertThat(stack.service("orders").orElseThrow().dependsOn()).containsExactly("catalog");
    assertThat(stack.service("gateway").orElseThrow().dependsOn()).containsExactly("orders");
    assertThat(stack.service("web").orElseThrow().dependsOn()).containsExactly("gateway");
    for (String java : List.of("catalog", "orders", "gateway")) {
      ServiceSpec spec = stack.service(java).orElseThrow();
      assertThat(spec.lease()).as(java).isEqualTo(LeaseMode.SELF);
      assertThat(spec.command()).as(java).startsWith("java").contains("../cli/target/berth.jar")
          .endsWith("dev.berth.samples." + java + "." + Character.toUpperCase(java.charAt(0))
              + java.substring(1) + "Main");
      assertThat(spec.dir()).isEqualTo(FILE.getParent());
    }
    assertThat(stack.services()).filteredOn(s -> s.debug().isPresent()).extracting(ServiceSpec::name)
        .as("berth debug orders works on the sample stack").containsExactly("orders");
    assertThat(stack.service("orders").orElseThrow().debug()).hasValue(dev.berth.cli.internal.DebugRuntime.JAVA);
    ServiceSpec gateway = stack.service("gateway").orElseThrow();
    assertThat(gateway.endpoints()).startsWith("http");
    assertThat(gateway.ready()).hasValueSatisfying(ready -> {
      assertThat(ready.kind()).isEqualTo(ReadyCheck.Kind.HTTP);
      assertThat(ready.endpoint()).isEqualTo("http");
      assertThat(ready.path()).isEqualTo("/products");
    });
    ServiceSpec inventory = stack.service("inventory").orElseThrow();
    assertThat(inventory.lease()).as("Spring Boot with the starter holds its own lease").isEqualTo(LeaseMode.SELF);
    assertThat(inventory.command()).startsWith("java").endsWith("-jar", "../sample-inventory/target/berth-sample-inventory.jar");
    assertThat(inventory.endpoints()).containsExactly("http", "metrics");
    ServiceSpec web = stack.service("web").orElseThrow();
    assertThat(web.lease()).isEqualTo(LeaseMode.RUNNER);
    assertThat(web.command()).containsExactly("python3", "web/app.py");
    assertThat(web.env()).containsEntry("GATEWAY_URL", "${gateway/http.url}");
    assertThat(FILE.getParent().resolve("web/app.py")).isRegularFile();
  }

  @Test
  void sampleStack_namesNoPort_andPointsEditorsAtTheSchema() throws Exception {
    List<String> lines = Files.readAllLines(FILE);

    assertThat(lines.get(0)).isEqualTo("# yaml-language-server: $schema=../docs/berth.schema.json");
    assertThat(lines).noneMatch(line -> line.matches(".*\\b\\d{4,5}\\b.*"));
  }
}
