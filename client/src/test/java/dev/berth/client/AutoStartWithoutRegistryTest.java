package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code autoStart(true)} in a program that has only berth-client: the error names the artifact
 * to add, as the README says, rather than a module name nobody can search for.
 */
class AutoStartWithoutRegistryTest {

  @Test
  void connect_withAutoStartAndNoBerthRegistryOnTheClassPath_namesTheArtifact(@TempDir Path home)
      throws Exception {
    List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    String withoutRegistry = entries.stream()
        .filter(e -> !e.contains("berth-registry") && !e.replace('\\', '/').contains("/registry/target/"))
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(withoutRegistry).as("the registry was on the class path to begin with").isNotEqualTo(
        String.join(File.pathSeparator, entries));

    try (ChildJvm child = ChildJvm.start(Map.of(), withoutRegistry, AutoStartMain.class, home.toString(), "web")) {
      String error = child.awaitLine("Exception in thread \"main\"", Duration.ofSeconds(60));

      assertThat(error).contains("BerthException", "dev.berth:berth-registry on the class path");
    }
  }
}
