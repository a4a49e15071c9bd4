package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proto.v1.WhoHasRequest;
import dev.berth.testing.TestPools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sticky berths per (namespace, service, endpoint), across registry restarts: two stacks
 * running the same service keep their own ports.
 */
class NamespaceBerthsTest {

  @TempDir Path dir;

  @Test
  void twoNamespaces_sameService_getDisjointPorts_andEachItsOwnAfterARestart() throws Exception {
    int pool = TestPools.take(6).first();
    int one;
    int two;
    int plain;
    try (TestRegistry reg = TestRegistry.start(dir, pool, 6)) {
      one = reg.attach().attachLiveIn("one", "orders");
      two = reg.attach().attachLiveIn("two", "orders");
      plain = reg.attach().attachLive("orders");
      assertThat(Set.of(one, two, plain)).hasSize(3);
    }

    try (TestRegistry reg = TestRegistry.start(dir, pool, 6)) {
      // in the other order: each namespace's first instance gets its own ports[0], not the
      // first remembered port of "orders"
      assertThat(reg.attach().attachLiveIn("two", "orders")).isEqualTo(two);
      assertThat(reg.attach().attachLive("orders")).isEqualTo(plain);
      assertThat(reg.attach().attachLiveIn("one", "orders")).isEqualTo(one);
      assertThat(reg.blocking().whoHas(WhoHasRequest.newBuilder().setPort(two).build())
          .getRememberedFor()).isEqualTo("orders/main in namespace two");
      assertThat(reg.blocking().whoHas(WhoHasRequest.newBuilder().setPort(plain).build())
          .getRememberedFor()).isEqualTo("orders/main");
    }
  }

  @Test
  void aPortRememberedForOneNamespace_isNotHandedToAnother_whileAnotherIsFree() throws Exception {
    try (TestRegistry reg = TestRegistry.start(dir, 4)) {
      AttachClient first = reg.attach();
      int one = first.attachLiveIn("one", "orders");
      first.complete();
      first.awaitEnd();

      int two = reg.attach().attachLiveIn("two", "orders");
      int plain = reg.attach().attachLive("orders");

      assertThat(two).isNotEqualTo(one);
      assertThat(plain).isNotIn(one, two);
    }
  }

  @Test
  void berthsJsonFromBeforeNamespaces_loadsAsTheDefaultNamespace() throws Exception {
    int pool = TestPools.take(4).first();
    int remembered = pool + 2;
    Files.writeString(dir.resolve("berths.json"), "{\"berths\": [{\"service\": \"orders\", "
        + "\"endpoint\": \"main\", \"ports\": [" + remembered + "], "
        + "\"lastUsed\": \"2026-11-30T10:00:00Z\"}]}\n", StandardCharsets.UTF_8);

    try (TestRegistry reg = TestRegistry.start(dir, pool, 4)) {
      int stack = reg.attach().attachLiveIn("shop", "orders");
      int plain = reg.attach().attachLive("orders");

      assertThat(stack).as("the default namespace's berth is not a stack's").isNotEqualTo(remembered);
      assertThat(plain).isEqualTo(remembered);
    }
    String saved = Files.readString(dir.resolve("berths.json"), StandardCharsets.UTF_8);
    assertThat(saved).contains("\"namespace\": \"shop\"");
  }
}
