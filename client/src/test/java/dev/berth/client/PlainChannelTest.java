package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.berth.local.StateDir;
import dev.berth.registry.BerthRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolverRegistry;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ManagedChannelBuilder.forTarget("berth:///x")} with no Berth object: the scheme
 * comes from META-INF/services (what a shaded jar must keep), the registry from the state dir.
 */
class PlainChannelTest {
  @TempDir Path home;

  @Test
  void servicesFile_registersBerthSchemeWithGrpcDefaultRegistry() throws Exception {
    List<URL> files = Collections.list(getClass().getClassLoader()
        .getResources("META-INF/services/io.grpc.NameResolverProvider"));
    StringBuilder all = new StringBuilder();
    for (URL url : files) {
      try (InputStream in = url.openStream()) {
        all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    assertThat(all.toString()).contains("dev.berth.client.internal.BerthNameResolverProvider");
    assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("berth")).isNotNull();
    // below priority 5: berth never becomes the default scheme for plain host:port targets
    assertThat(NameResolverRegistry.getDefaultRegistry().getDefaultScheme()).isNotEqualTo("berth");
  }

  @Test
  void forTarget_withBerthHomeProperty_resolvesByNameAndRoundRobins() throws Exception {
    assumeThat(System.getenv("BERTH_REGISTRY")).as("discovery through the state dir").isNull();
    String previous = System.setProperty(StateDir.HOME_PROPERTY, home.toString());
    ManagedChannel channel = null;
    try (BerthRegistry registry = TestRegistry.start(home);
        Berth a = TestRegistry.connect(registry);
        Berth b = TestRegistry.connect(registry)) {
      a.serve("who").addService(WhoService.named("a")).start();
      b.serve("who").addService(WhoService.named("b")).start();

      channel = ManagedChannelBuilder.forTarget("berth:///who").usePlaintext().build();
      ManagedChannel plain = channel;
      Waits.until(Duration.ofSeconds(10), () -> count(plain, 10).size() == 2, "both instances answer");
      Map<String, Integer> counts = count(channel, 20);

      // round_robin comes from the resolver's service config: no channel setting asked for it
      assertThat(counts).containsOnlyKeys("a", "b");
      assertThat(counts.get("a")).isEqualTo(10);
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      if (previous == null) {
        System.clearProperty(StateDir.HOME_PROPERTY);
      } else {
        System.setProperty(StateDir.HOME_PROPERTY, previous);
      }
    }
  }

  private static Map<String, Integer> count(ManagedChannel channel, int calls) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      try {
        counts.merge(WhoService.call(channel), 1, Integer::sum);
      } catch (io.grpc.StatusRuntimeException e) {
        // not connected yet
      }
    }
    return counts;
  }
}
