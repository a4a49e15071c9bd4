package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The bench's baseline starts the samples with exactly the commands of sample-services/berth.yaml. */
class SampleStackTest {
  private static final Path STACK = Path.of("..", "sample-services", "berth.yaml");

  /** {@code command: [a, b, ...]} of {@code service}, a flow list that may span lines. */
  private static List<String> commandInFile(String yaml, String service) {
    Matcher m = Pattern.compile("\\n  " + service + ":\\n(?:    .*\\n|\\s*\\n)*?    command: \\[([^\\]]*)\\]")
        .matcher(yaml);
    assertThat(m.find()).as("service %s with a command: [...] in %s", service, STACK).isTrue();
    return Arrays.stream(m.group(1).split(",")).map(String::strip).toList();
  }

  @Test
  void commands_areTheStackFilesInDependencyOrder() throws Exception {
    String yaml = Files.readString(STACK);

    for (String service : SampleStack.SERVICES) {
      assertThat(SampleStack.command(service)).as(service).isEqualTo(commandInFile(yaml, service));
    }
    assertThat(yaml).contains("depends_on: [catalog]", "depends_on: [orders]");
  }

  @Test
  void idleStackFile_namesEachListenerWithARunnerLease() {
    String yaml = SupervisorOverhead.stackFile(List.of("bench-idle-1", "bench-idle-2"));

    assertThat(yaml).startsWith("services:\n")
        .contains("  bench-idle-1:\n    command: [python3, -c, \"" + SupervisorOverhead.LISTENER + "\"]\n")
        .contains("  bench-idle-2:\n")
        .doesNotContain("port:");
    assertThat(SupervisorOverhead.LISTENER).doesNotContain("\"", "\\");
  }
}
