package dev.berth.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryArchiveTest {

  @TempDir
  Path temp;

  /** A jar with an archive beside it stamped as DaemonArchive stamps it. */
  private Path jarWithArchive() throws IOException {
    Path jar = Files.writeString(temp.resolve("berth.jar"), "not really a jar");
    Path archive = RegistryArchive.of(jar);
    Files.writeString(archive, "archive");
    Files.writeString(RegistryArchive.stampOf(archive), RegistryArchive.stamp(jar));
    return jar;
  }

  @Test
  void of_isBesideTheJarNamedAfterIt() {
    assertThat(RegistryArchive.of(Path.of("/opt/berth/berth.jar")))
        .isEqualTo(Path.of("/opt/berth/berth-registry.jsa"));
  }

  @Test
  void matching_theJarItWasMadeFor_isTheArchive() throws IOException {
    Path jar = jarWithArchive();

    assertThat(RegistryArchive.matching(jar.toString())).contains(RegistryArchive.of(jar));
  }

  @Test
  void matching_aRebuiltJar_isEmpty() throws IOException {
    Path jar = jarWithArchive();
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));

    assertThat(RegistryArchive.matching(jar.toString())).isEmpty();
  }

  @Test
  void matching_anArchiveWithoutStamp_isEmpty() throws IOException {
    // how a dump cut short looks: the stamp is written last
    Path jar = jarWithArchive();
    Files.delete(RegistryArchive.stampOf(RegistryArchive.of(jar)));

    assertThat(RegistryArchive.matching(jar.toString())).isEmpty();
  }

  @Test
  void matching_anotherClassPath_isEmpty() throws IOException {
    Path jar = jarWithArchive();

    assertThat(RegistryArchive.matching(jar + File.pathSeparator + temp)).isEmpty();
    assertThat(RegistryArchive.matching(temp.resolve("x/../berth.jar").toString())).isEmpty();
    assertThat(RegistryArchive.matching(temp.toString())).isEmpty();
    assertThat(RegistryArchive.matching(null)).isEmpty();
  }

  @Test
  void launcher_onTheJarItWasMadeFor_passesTheArchiveBeforeTheDaemonFlags() throws IOException {
    Path jar = jarWithArchive();
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();

    List<String> command = RegistryLauncher.of(dir).classPath(jar.toString()).outputToCaller().command();

    assertThat(command.subList(0, 2)).containsExactly(RegistryLauncher.javaBinary(),
        "-XX:SharedArchiveFile=" + RegistryArchive.of(jar));
    assertThat(command.subList(2, 2 + RegistryLauncher.JVM_FLAGS.size()))
        .containsExactlyElementsOf(RegistryLauncher.JVM_FLAGS);
  }

  @Test
  void launcher_onAnotherClassPath_passesNoArchive() throws IOException {
    jarWithArchive();
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();

    List<String> command = RegistryLauncher.of(dir).classPath(temp.toString()).outputToCaller().command();

    assertThat(command).noneMatch(arg -> arg.startsWith("-XX:SharedArchiveFile"));
  }
}
