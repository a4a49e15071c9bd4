package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.WhoHasRequest;
import dev.berth.proto.v1.WhoHasResponse;
import dev.berth.testing.TestPools;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sticky berths: the same port again after restarts, another when it is taken. */
class StickyPortsEndToEndTest {

  @TempDir Path dir;

  @Test
  void attach_afterRegistryRestart_getsTheSameStickyPorts() throws Exception {
    int pool = TestPools.take(6).first();
    int first;
    int second;
    try (TestRegistry reg = TestRegistry.start(dir, pool, 6)) {
      AttachClient a = reg.attach();
      AttachClient b = reg.attach();
      first = a.attachLive("orders");
      second = b.attachLive("orders");
      assertThat(second).isNotEqualTo(first);
    }

    try (TestRegistry reg = TestRegistry.start(dir, pool, 6)) {
      AttachClient a = reg.attach();
      AttachClient b = reg.attach();
      AttachClient other = reg.attach();

      assertThat(a.attachLive("orders")).as("first instance gets ports[0]").isEqualTo(first);
      assertThat(b.attachLive("orders")).as("second instance gets ports[1]").isEqualTo(second);
      // both of orders' berths are free again once b goes, yet a new service does not take them
      b.complete();
      b.awaitEnd();
      assertThat(other.attachLive("billing")).isNotIn(first, second);
    }
  }

  @Test
  void attach_whenStickyPortTaken_assignsAnotherAndCountsConflict() throws Exception {
    int pool = TestPools.take(4).first();
    int sticky;
    try (TestRegistry reg = TestRegistry.start(dir, pool, 4)) {
      AttachClient orders = reg.attach();
      sticky = orders.attachLive("orders");
      orders.complete();
      orders.awaitEnd();

      try (ServerSocket squatter = TestPools.squat(sticky)) {
        AttachClient again = reg.attach();
        int port = again.attachLive("orders");

        assertThat(port).isNotEqualTo(squatter.getLocalPort()).isBetween(pool, pool + 3);
        assertThat(reg.counter("berth.port.conflicts", "service", "orders", "side", "registry",
            "cause", "in_use")).isEqualTo(1);
        WhoHasResponse who = reg.blocking().whoHas(WhoHasRequest.newBuilder().setPort(sticky).build());
        assertThat(who.getProcess().getPid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(who.getProcess().getCommandLine()).contains("java");
        assertThat(who.getRememberedFor()).isEqualTo("orders/main");
      }
    }
  }
}
