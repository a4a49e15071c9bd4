package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.RegistryInfo;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.testing.PortRange;
import dev.berth.testing.TestPools;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What users run as processes, run as processes: killed services, killed and stopped registries. */
class ProcessTest {

  private static final Pattern LISTENING =
      Pattern.compile("berth registry listening on 127\\.0\\.0\\.1:(\\d+) \\(state (.+)\\)");

  @TempDir Path dir;

  @Test
  void attach_whenChildJvmKilled_watcherSeesSnapshotWithoutIt() throws Exception {
    try (TestRegistry reg = TestRegistry.start(dir, 4);
        ChildJvm child = ChildJvm.start(AttachingChild.class,
            String.valueOf(reg.registry.port()), reg.token(), "victim")) {
      int port = Integer.parseInt(child.awaitLine(l -> l.startsWith("live ")).substring(5));
      WatchClient watcher = reg.watch("victim", "main");
      watcher.await(WatchClient.hasPort(port));

      long killed = System.nanoTime();
      child.process.destroyForcibly(); // SIGKILL: no goodbye from the child
      watcher.await(WatchClient.lacksPort(port));
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);

      System.out.println("SIGKILL of an attached child JVM -> watcher snapshot without it: "
          + millis + " ms");
      assertThat(reg.counter("berth.registry.leases.ended", "reason", "broken")).isEqualTo(1);
    }
  }

  @Test
  void registry_whenKilledWithSigkill_restartsOnSameStateDirWithStickyPortsIntact() throws Exception {
    int pool = TestPools.take(4).first();
    int orders;
    int billing;
    try (ChildJvm registry = ChildJvm.start(Main.class, "--port", "0", "--home", dir.toString(),
        "--ports", pool + "-" + (pool + 3))) {
      Matcher m = LISTENING.matcher(registry.awaitLine(l -> LISTENING.matcher(l).matches()));
      assertThat(m.matches()).isTrue();
      assertThat(Path.of(m.group(2))).isEqualTo(dir.toAbsolutePath());
      ManagedChannel channel = channel(Integer.parseInt(m.group(1)));
      try {
        AttachClient a = new AttachClient(RegistryGrpc.newStub(channel));
        AttachClient b = new AttachClient(RegistryGrpc.newStub(channel));
        orders = a.attachLive("orders");
        billing = b.attachLive("billing");

        registry.process.destroyForcibly(); // kill -9
        registry.awaitExit();

        assertThat(a.awaitEnd().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      } finally {
        channel.shutdownNow();
      }
    }
    assertThat(dir.resolve("registry.json")).as("left behind by kill -9").exists();

    try (TestRegistry restarted = TestRegistry.start(dir, pool, 4)) {
      assertThat(BerthRegistryTest.readInfo(dir).getPid()).isEqualTo(ProcessHandle.current().pid());
      assertThat(restarted.attach().attachLive("billing")).isEqualTo(billing);
      assertThat(restarted.attach().attachLive("orders")).isEqualTo(orders);
    }
  }

  @Test
  void main_onSigterm_endsLeasesRemovesRegistryJsonAndExitsZero() throws Exception {
    int pool = TestPools.take(2).first();
    try (ChildJvm registry = ChildJvm.start(Main.class, "--port", "0", "--home", dir.toString(),
        "--ports", pool + "-" + (pool + 1))) {
      Matcher m = LISTENING.matcher(registry.awaitLine(l -> LISTENING.matcher(l).matches()));
      assertThat(m.matches()).isTrue();
      RegistryInfo info = BerthRegistryTest.readInfo(dir);
      assertThat(info.getPid()).isEqualTo(registry.process.pid());
      ManagedChannel channel = channel(Integer.parseInt(m.group(1)));
      try {
        AttachClient lease = new AttachClient(RegistryGrpc.newStub(channel));
        lease.attachLive("orders");

        registry.process.destroy(); // SIGTERM

        assertThat(registry.awaitExit()).as("stderr: %s", registry.stderr()).isZero();
        assertThat(lease.awaitEnd().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      } finally {
        channel.shutdownNow();
      }
      assertThat(dir.resolve("registry.json")).doesNotExist();
      assertThat(dir.resolve("token")).exists();
    }
  }

  @Test
  void main_withBerthPortsInItsEnvironment_handsOutThatPool() throws Exception {
    PortRange pool = TestPools.take(3);
    // as a registry auto-started by a client inherits the client's environment
    try (ChildJvm registry = ChildJvm.start(Map.of("BERTH_PORTS", pool.toString()), Main.class,
        "--port", "0", "--home", dir.toString())) {
      Matcher m = LISTENING.matcher(registry.awaitLine(l -> LISTENING.matcher(l).matches()));
      assertThat(m.matches()).isTrue();
      ManagedChannel channel = channel(Integer.parseInt(m.group(1)));
      try {
        int web = new AttachClient(RegistryGrpc.newStub(channel)).attachLive("web");
        int api = new AttachClient(RegistryGrpc.newStub(channel)).attachLive("api");

        // the third port went to the registry's own berth/metrics
        assertThat(List.of(web, api)).allSatisfy(port -> assertThat(pool.contains(port))
            .as("port %d in %s", port, pool).isTrue());
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private ManagedChannel channel(int port) throws Exception {
    Metadata headers = new Metadata();
    headers.put(TestRegistry.TOKEN,
        Files.readString(dir.resolve("token"), StandardCharsets.US_ASCII).trim());
    return NettyChannelBuilder.forAddress("127.0.0.1", port)
        .usePlaintext()
        .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
        .build();
  }
}
