package dev.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.client.Address;
import dev.berth.client.BerthException;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Plain lookups over a {@link FixedDiscovery}: resolveAll and watch need nothing but the seam. */
class LookupsTest {
  private static final BerthTarget ORDERS = new BerthTarget("orders", "http");

  private final FixedDiscovery discovery = new FixedDiscovery();

  @Test
  void resolveAll_givesTheDiscoverysList_emptyWhenNoneIsKnown() {
    discovery.set(ORDERS, Address.loopback(61001), Address.tcp("::1", 61002));

    assertThat(Lookups.resolveAll(discovery, "orders", "http"))
        .containsExactly(Address.loopback(61001), Address.tcp("::1", 61002));
    assertThat(Lookups.resolveAll(discovery, "orders", "main")).isEmpty();
  }

  @Test
  void resolveAll_whenTheBackendFails_throwsItsStatus() {
    discovery.fail(ORDERS, Status.UNAVAILABLE.withDescription("no Berth registry at 127.0.0.1:9"));

    assertThatThrownBy(() -> Lookups.resolveAll(discovery, "orders", "http"))
        .isInstanceOfSatisfying(BerthException.class,
            e -> assertThat(e.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
        .hasMessage("no Berth registry at 127.0.0.1:9");
  }

  @Test
  void watch_deliversEachList_aThrowingListenerHearsTheNext_andCloseStopsIt() {
    List<List<Address>> seen = new CopyOnWriteArrayList<>();
    Discovery.Watch watch = Lookups.watch(discovery, "orders", "http", addresses -> {
      seen.add(addresses);
      if (seen.size() == 1) {
        throw new IllegalStateException("a listener with a bug");
      }
    });

    discovery.set(ORDERS, Address.loopback(61001));
    discovery.set(ORDERS);
    watch.close();
    discovery.set(ORDERS, Address.loopback(61002));

    assertThat(seen).containsExactly(List.of(Address.loopback(61001)), List.of());
    assertThat(discovery.thrown).as("caught and logged by the watch").isEmpty();
    assertThat(discovery.watchers(ORDERS)).isZero();
  }

  @Test
  void watch_whileTheBackendCannotBeReached_callsNothing() {
    List<List<Address>> seen = new CopyOnWriteArrayList<>();
    discovery.fail(ORDERS, Status.UNAVAILABLE.withDescription("no Berth registry"));

    try (Discovery.Watch watch = Lookups.watch(discovery, "orders", "http", seen::add)) {
      assertThat(seen).isEmpty();
      discovery.set(ORDERS, Address.unix(Path.of("/run/user/1000/berth/orders.sock")));
      assertThat(seen).containsExactly(List.of(Address.unix(Path.of("/run/user/1000/berth/orders.sock"))));
    }
  }
}
