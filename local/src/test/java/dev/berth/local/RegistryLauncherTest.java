package dev.berth.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryLauncherTest {

  @TempDir
  Path temp;

  @Test
  void command_isSetsidJavaDaemonFlagsRegistryMainHomeAndOptions() throws IOException {
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();

    List<String> command = RegistryLauncher.of(dir).port(0).defaultPort(40000).ports("20000-20009")
        .port(0).command();

    List<String> java = command;
    if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
      assertThat(command.get(0)).endsWith("/setsid");
      java = command.subList(1, command.size());
    }
    assertThat(java.get(0)).isEqualTo(RegistryLauncher.javaBinary());
    assertThat(java.subList(1, java.size())).containsExactlyElementsOf(concat(RegistryLauncher.JVM_FLAGS,
        List.of("dev.berth.registry.Main", "--home", dir.path().toString(),
            "--port", "0", "--default-port", "40000", "--ports", "20000-20009")));
  }

  @Test
  void withoutBerthAgent_removesExactlyBerthsJdwpOption_keepingTheUsersOwn() {
    String berths = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:61005";
    assertThat(RegistryLauncher.withoutBerthAgent(berths)).isEmpty();
    assertThat(RegistryLauncher.withoutBerthAgent("-Dapp=1  -Xmx1g " + berths)).isEqualTo("-Dapp=1  -Xmx1g");
    assertThat(RegistryLauncher.withoutBerthAgent(berths + " -Dafter='a b'")).isEqualTo("-Dafter='a b'");
    // an agent of the user's own is theirs
    String own = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:5005";
    assertThat(RegistryLauncher.withoutBerthAgent(own)).isEqualTo(own);
    assertThat(RegistryLauncher.withoutBerthAgent(berths + ",quiet=y")).isEqualTo(berths + ",quiet=y");

    Map<String, String> env = new HashMap<>(Map.of("JAVA_TOOL_OPTIONS", berths, "OTHER", berths));
    RegistryLauncher.withoutBerthAgent(env);
    assertThat(env).doesNotContainKey("JAVA_TOOL_OPTIONS").containsEntry("OTHER", berths);
    env.put("JAVA_TOOL_OPTIONS", "-Dkept=1 " + berths);
    RegistryLauncher.withoutBerthAgent(env);
    assertThat(env).containsEntry("JAVA_TOOL_OPTIONS", "-Dkept=1");
  }

  @Test
  void command_forACallerThatReadsTheOutput_hasNoSetsid() throws IOException {
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();

    List<String> command = RegistryLauncher.of(dir).jvmFlags(List.of("-Xmx64m")).outputToCaller().command();

    assertThat(command).containsExactly(RegistryLauncher.javaBinary(), "-Xmx64m",
        "dev.berth.registry.Main", "--home", dir.path().toString());
  }

  @Test
  void start_appendsTheRegistrysOutputToRegistryLogOwnerOnly_classPathFromTheLauncher() throws Exception {
    StateDir dir = StateDir.of(temp.resolve("berth")).prepare();
    Path empty = Files.createDirectory(temp.resolve("no-classes"));
    RegistryLauncher launcher = RegistryLauncher.of(dir).classPath(empty.toString());

    runToExit(launcher);
    runToExit(launcher);

    // the class path given, not this JVM's: java finds no registry there and says so, twice
    String log = Files.readString(launcher.log());
    assertThat(log.split("Could not find or load main class dev.berth.registry.Main", -1)).hasSize(3);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(launcher.log())))
        .isEqualTo("rw-------");
  }

  private static void runToExit(RegistryLauncher launcher) throws Exception {
    Process child = launcher.start();
    try {
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isNotZero();
    } finally {
      child.destroyForcibly();
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
