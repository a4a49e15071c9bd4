package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.BerthRegistry;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calling services by name, with the services in child JVMs where users have processes. */
class CallByNameTest {
  private static final Duration STARTUP = Duration.ofSeconds(30);

  @TempDir Path home;
  BerthRegistry registry;
  Berth berth;
  final List<ChildJvm> children = new java.util.ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    registry = TestRegistry.start(home);
    berth = TestRegistry.connect(registry);
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ChildJvm child : children) {
      child.close();
    }
    berth.close();
    registry.close();
  }

  @Test
  void channel_whenInstanceKilled_failsFastThenRecoversOnSamePort() throws Exception {
    ChildJvm first = service("a");
    int port = Integer.parseInt(first.awaitLine("serving", STARTUP));
    ManagedChannel channel = berth.channel("who");
    assertThat(WhoService.call(channel)).isEqualTo("a"); // called by name, from another process

    first.kill(); // SIGKILL: no goodbye to the registry

    Waits.until(Duration.ofSeconds(5), () -> berth.resolveAll("who").isEmpty(), "registry drops the instance");
    // the channel hears it on its own watch: from then on it stops dialling the dead port
    Waits.until(Duration.ofSeconds(5), () -> failureOf(channel).contains("no live instance of 'who'"),
        "the channel knows no instance is live");
    long before = System.nanoTime();
    assertThatThrownBy(() -> WhoService.call(channel, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).isEqualTo("no live instance of 'who'");
        });
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5)); // no hang

    ChildJvm second = service("a2");
    assertThat(Integer.parseInt(second.awaitLine("serving", STARTUP))).isEqualTo(port); // its berth
    Waits.until(Duration.ofSeconds(10), () -> "a2".equals(callOrNull(channel)), "calls reach the restarted instance");
  }

  @Test
  void channel_whenInstanceKilled_neverCallsWhateverBindsItsPortNext() throws Exception {
    ChildJvm first = service("a");
    int port = Integer.parseInt(first.awaitLine("serving", STARTUP));
    ManagedChannel channel = berth.channel("who");
    assertThat(WhoService.call(channel)).isEqualTo("a");

    first.kill();
    Waits.until(Duration.ofSeconds(5), () -> failureOf(channel).contains("no live instance of 'who'"),
        "the channel knows no instance is live");
    // a server outside Berth takes the dead instance's port; the channel must not follow the
    // port (it follows the name), even when told to reconnect at once
    Server stranger = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
        .addService(WhoService.named("stranger"))
        .build()
        .start();
    try {
      channel.resetConnectBackoff();
      Thread.sleep(300); // a channel that still dialled the old port would be connected by now
      assertThat(failureOf(channel)).contains("no live instance of 'who'");
    } finally {
      stranger.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void channel_withTwoInstances_spreadsCallsOverBoth() throws Exception {
    ChildJvm a = service("a");
    ChildJvm b = service("b");
    a.awaitLine("serving", STARTUP);
    b.awaitLine("serving", STARTUP);
    ManagedChannel channel = berth.channel("who");
    assertThat(berth.resolveAll("who")).hasSize(2);
    // both subchannels connected before counting, so round-robin has both to pick from
    Waits.until(Duration.ofSeconds(10), () -> {
      Map<String, Integer> seen = count(channel, 10);
      return seen.size() == 2;
    }, "both instances answer");

    Map<String, Integer> counts = count(channel, 40);

    assertThat(counts).containsOnlyKeys("a", "b");
    assertThat(counts.get("a")).isBetween(15, 25);
    assertThat(counts.get("b")).isBetween(15, 25);
  }

  @Test
  void channel_withNoInstance_failsFastThenWaitForReadyCallCompletesWhenOneAppears() throws Exception {
    ManagedChannel channel = berth.channel("late");

    assertThatThrownBy(() -> WhoService.call(channel))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).contains("no live instance of 'late'");
        });

    CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> WhoService.call(channel,
        CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(20, TimeUnit.SECONDS)));
    Thread.sleep(200);
    assertThat(waiting).isNotDone();

    try (Berth service = TestRegistry.connect(registry)) {
      service.serve("late").addService(WhoService.named("l")).start();
      assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("l");
    }
  }

  @Test
  void channel_forNonDefaultEndpoint_reachesThatEndpoint() throws Exception {
    try (Berth service = TestRegistry.connect(registry)) {
      BerthServer server = service.serve("gateway").endpoint("grpc").addService(WhoService.named("g")).start();

      assertThat(WhoService.call(berth.channel("gateway/grpc"))).isEqualTo("g");
      assertThat(berth.resolve("gateway/grpc").port()).isEqualTo(server.port());
    }
  }

  private ChildJvm service(String name) throws IOException {
    ChildJvm child = ChildJvm.start(WhoServiceMain.class,
        "127.0.0.1:" + registry.port(), home.toString(), name);
    children.add(child);
    return child;
  }

  private static Map<String, Integer> count(ManagedChannel channel, int calls) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      String who = callOrNull(channel);
      if (who != null) {
        counts.merge(who, 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The status of a failed call, as text; "" if the call succeeded. */
  private static String failureOf(ManagedChannel channel) {
    try {
      WhoService.call(channel);
      return "";
    } catch (StatusRuntimeException e) {
      return String.valueOf(e.getStatus());
    }
  }

  private static String callOrNull(ManagedChannel channel) {
    try {
      return WhoService.call(channel);
    } catch (StatusRuntimeException e) {
      return null;
    }
  }
}
