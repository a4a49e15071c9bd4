package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.client.internal.RegistryLocator;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.RegistryInfo;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients that find no registry start one, and only one, as a background process. */
class AutoStartTest {
  @TempDir Path home;
  ChildJvm first;
  ChildJvm second;
  ChildJvm third;

  @AfterEach
  void stop() throws InterruptedException {
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
    if (third != null) {
      third.close();
    }
    // every registry started for this home, even one that should not exist
    registryProcesses().forEach(ProcessHandle::destroyForcibly);
    RegistryLocator.readInfo(home).flatMap(info -> ProcessHandle.of(info.getPid()))
        .ifPresent(ProcessHandle::destroyForcibly);
  }

  @BeforeAll
  static void linuxOnly() {
    assumeTrue(Files.isReadable(Path.of("/proc/self/cmdline")), "reads command lines from /proc");
  }

  @Test
  void connect_whenThreeClientsAutoStartAtOnce_startsOneRegistry_withThePoolTheyInherit() throws Exception {
    // whichever starts the registry passes its environment on: the pool of this test's own
    PortRange pool = TestPools.take(4);
    Map<String, String> env = Map.of("BERTH_PORTS", pool.toString());
    first = ChildJvm.start(env, AutoStartMain.class, home.toString(), "first");
    second = ChildJvm.start(env, AutoStartMain.class, home.toString(), "second");
    third = ChildJvm.start(env, AutoStartMain.class, home.toString(), "third");
    List<Integer> ports = new ArrayList<>();
    for (ChildJvm child : List.of(first, second, third)) {
      ports.add(Integer.parseInt(child.awaitLine("live", Duration.ofSeconds(40))));
    }
    Berth inProcess = Berth.builder().stateDir(home).autoStart(false).build();
    try {
      assertThat(ports).allSatisfy(port -> assertThat(pool.contains(port)).as("%d in %s", port, pool).isTrue());

      Optional<RegistryInfo> info = RegistryLocator.readInfo(home);
      assertThat(info).isPresent();
      assertThat(ProcessHandle.of(info.get().getPid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
      assertThat(registryProcesses()).extracting(ProcessHandle::pid).containsExactly(info.get().getPid());
      // and only one was ever started here: one start line in the shared log
      assertThat(Files.readAllLines(home.resolve("registry.log")))
          .filteredOn(line -> line.startsWith("berth registry listening on")).hasSize(1);
      // all three talk to that registry: it holds their leases
      List<Instance> instances = inProcess.registryStub().list(ListRequest.getDefaultInstance())
          .getInstancesList().stream().filter(i -> !i.getService().equals("berth")) // its own /metrics
          .collect(java.util.stream.Collectors.toList());
      assertThat(instances).extracting(Instance::getService)
          .containsExactlyInAnyOrder("first", "second", "third");
      assertThat(instances).extracting(Instance::getPid)
          .containsExactlyInAnyOrder(first.pid(), second.pid(), third.pid());
    } finally {
      inProcess.close();
    }
  }

  @Test
  void connect_whenARegistryHoldsTheLockButAnswersLate_waitsForItAndStartsNoSecond() throws Exception {
    Files.createDirectories(home);
    int port = freePort();
    // longer than the client's 3 s probe and its 1 s re-check under the start lock
    first = ChildJvm.start(SlowRegistryMain.class, home.toString(), "4000", port + "-" + port);
    first.awaitLine("locked", Duration.ofSeconds(30));

    try (Berth berth = Berth.builder().stateDir(home).autoStart(true).build()) {
      assertThat(berth.registryStub().list(ListRequest.getDefaultInstance()).getInstancesList()).isEmpty();
    }

    assertThat(RegistryLocator.readInfo(home)).hasValueSatisfying(
        info -> assertThat(info.getPid()).as("the slow registry, not a second one").isEqualTo(first.pid()));
    assertThat(registryProcesses()).isEmpty();
    // a registry started by a client writes its output there: none was started
    assertThat(home.resolve("registry.log")).doesNotExist();
  }

  @Test
  void connect_withoutAutoStart_whenARegistryHoldsTheLockButIsNotVisibleYet_waitsForIt() throws Exception {
    Files.createDirectories(home);
    int port = freePort();
    first = ChildJvm.start(SlowRegistryMain.class, home.toString(), "4000", port + "-" + port);
    first.awaitLine("locked", Duration.ofSeconds(30));

    try (Berth berth = Berth.builder().stateDir(home).build()) {
      assertThat(berth.registryStub().list(ListRequest.getDefaultInstance()).getInstancesList()).isEmpty();
    }
    assertThat(RegistryLocator.readInfo(home)).hasValueSatisfying(
        info -> assertThat(info.getPid()).isEqualTo(first.pid()));
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Registries for this home, from /proc (ProcessHandle.Info truncates long command lines). */
  private List<ProcessHandle> registryProcesses() {
    String dir = home.toAbsolutePath().toString();
    return ProcessHandle.allProcesses()
        .filter(p -> {
          List<String> args = commandLine(p.pid());
          return args.contains("dev.berth.registry.Main") && args.contains(dir);
        })
        .toList();
  }

  private static List<String> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException e) {
      return List.of(); // gone, or not ours to read
    }
  }
}
