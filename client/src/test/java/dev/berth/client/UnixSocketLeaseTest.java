package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A Unix domain socket endpoint asked for through {@link Lease.Builder#unixSocket}: registered
 * with {@code EndpointRequest.unix_path} and resolved back as {@code unix:PATH}. Needs a
 * registry that knows {@code unix_path} (the registry side of issue 10).
 */
class UnixSocketLeaseTest extends RegistryPerTest {
  @Test
  void lease_withUnixSocket_isResolvedAndWatchedAsUnixAddress() throws Exception {
    Path path = home.resolve("web.sock");
    List<List<Address>> seen = new CopyOnWriteArrayList<>();
    try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        BerthWatch watch = berth.watch("web/sock", seen::add)) {
      socket.bind(UnixDomainSocketAddress.of(path));
      Lease lease = berth.lease("web").endpoint("http").unixSocket("sock", path).attach();
      assertThat(lease.address("sock")).isEqualTo(Address.unix(path));
      assertThat(lease.address("http").isTcp()).isTrue();
      assertThatThrownBy(() -> lease.port("sock")).isInstanceOf(IllegalStateException.class);

      try (Listening listening = Listening.on(lease)) { // the TCP endpoint
        lease.ready();

        Address resolved = berth.resolve("web/sock");
        assertThat(resolved).isEqualTo(Address.unix(path));
        assertThat(resolved.toString()).isEqualTo("unix:" + path);
        assertThat(berth.resolve("web/http")).isEqualTo(lease.address("http"));
        Waits.until(Duration.ofSeconds(5), () -> seen.contains(List.of(Address.unix(path))),
            "the watch sees the Unix socket");
      } finally {
        lease.close();
      }
      assertThat(berth.resolveAll("web/sock")).isEmpty();
    }
  }

  @Test
  void lease_withUnixSocket_whenRegistryRestarts_reattachesWithTheSamePath() throws Exception {
    Path path = home.resolve("web.sock");
    try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      socket.bind(UnixDomainSocketAddress.of(path));
      Lease lease = berth.lease("web").unixSocket("main", path).attach();
      lease.ready();
      int registryPort = registry.port();

      registry.close();
      Waits.until(Duration.ofSeconds(5), () -> !InternalLeases.isLive(lease), "lease notices the registry is gone");
      registry = TestRegistry.start(home, registryPort);
      Waits.until(Duration.ofSeconds(10), () -> InternalLeases.isLive(lease), "lease re-attached");

      assertThat(berth.resolve("web")).isEqualTo(Address.unix(path));
      assertThat(lease.address()).isEqualTo(Address.unix(path));
      lease.close();
    }
  }
}
