package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.testing.TestPools;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one connection may do, and that one call over the limits fails alone: the leases and
 * watches sharing its connection go on.
 */
class ConnectionLimitsTest {

  @TempDir Path dir;
  private TestRegistry reg;

  @AfterEach
  void stop() {
    if (reg != null) {
      reg.close();
    }
  }

  @Test
  void attach_thatNeverRegisters_endsDeadlineExceededAndSparesTheLeaseOnItsConnection()
      throws Exception {
    reg = TestRegistry.start(dir, TestPools.take(4).first(), 4,
        b -> b.registerTimeout(Duration.ofMillis(300)));
    ManagedChannel channel = reg.channel();
    AttachClient lease = new AttachClient(RegistryGrpc.newStub(channel));
    int port = lease.attachLive("steady");

    AttachClient silent = new AttachClient(RegistryGrpc.newStub(channel)); // sends nothing

    Status end = silent.awaitEnd(); // bounded: AttachClient.WAIT_SECONDS
    assertThat(end.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(end.getDescription())
        .isEqualTo("Attach stream sent no register within 300 ms (expected: register as the first message)");
    assertThat(lease.isQuiet()).isTrue();
    assertThat(RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .list(ListRequest.getDefaultInstance()).getInstancesList())
        .filteredOn(i -> i.getService().equals("steady"))
        .extracting(i -> i.getEndpoints(0).getPort()).containsExactly(port);
  }

  @Test
  void connection_advertisesACapOnConcurrentCallsAboveWhatOneClientOpens() throws Exception {
    reg = TestRegistry.start(dir, TestPools.take(4).first(), 4, b -> b.maxInstances(1000));
    try (RawHttp2Peer peer = new RawHttp2Peer(reg.registry.port())) {
      // SETTINGS_MAX_CONCURRENT_STREAMS (0x3): every lease the registry takes, a watch for
      // each, and 1024 more; grpc-java's default is no limit at all
      assertThat(peer.awaitServerSettings()).containsEntry(0x3, 2L * 1000 + 1024);
    }
  }

  @Test
  void call_withOversizedMetadata_failsAloneAndSparesTheLeaseAndWatchOnItsConnection()
      throws Exception {
    reg = TestRegistry.start(dir, 4);
    ManagedChannel channel = reg.channel();
    AttachClient lease = new AttachClient(RegistryGrpc.newStub(channel));
    int port = lease.attachLive("steady");
    WatchClient watch = new WatchClient(RegistryGrpc.newStub(channel), "steady", "main");
    watch.await(WatchClient.hasPort(port));

    for (int kib : new int[] {20, 100}) {
      Metadata big = new Metadata();
      big.put(Metadata.Key.of("x-big", Metadata.ASCII_STRING_MARSHALLER), "x".repeat(kib * 1024));
      var stub = RegistryGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(big))
          .withDeadlineAfter(10, TimeUnit.SECONDS);

      assertThatThrownBy(() -> stub.resolve(ResolveRequest.newBuilder().setService("steady").build()))
          .as("%d KiB of metadata", kib)
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).contains("metadata: ")
                .contains("(expected: at most 8192 bytes of headers per call)");
          });
    }

    // the same connection still serves, and nothing happened to the lease or the watch
    assertThat(RegistryGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .resolve(ResolveRequest.newBuilder().setService("steady").build()).getTargets(0).getPort())
        .isEqualTo(port);
    assertThat(lease.isQuiet()).isTrue();
    assertThat(watch.isQuiet()).as("no empty snapshot, no end of the watch").isTrue();
  }

  @Test
  void call_withOversizedMetadataFromAClientIgnoringTheLimit_failsAloneAndItsConnectionServesOn()
      throws Exception {
    reg = TestRegistry.start(dir, 4);
    int port = reg.attach().attachLive("steady");
    byte[] resolve = ResolveRequest.newBuilder().setService("steady").build().toByteArray();
    Map<String, String> token = Map.of("berth-token", reg.token());

    try (RawHttp2Peer peer = new RawHttp2Peer(reg.registry.port())) {
      for (int kib : new int[] {20, 100}) {
        Map<String, String> big = new LinkedHashMap<>(token);
        big.put("x-big", "x".repeat(kib * 1024));

        RawHttp2Peer.Outcome o = peer.call("berth.v1.Registry/Resolve", resolve, big);

        assertThat(o.how()).as("%d KiB: %s", kib, o).isEqualTo("trailers");
        assertThat(o.grpcStatus()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
        assertThat(o.grpcMessage()).contains("(expected: at most 8192 bytes of headers per call)");
      }
      RawHttp2Peer.Outcome ok = peer.call("berth.v1.Registry/Resolve", resolve, token);
      assertThat(ok).isEqualTo(new RawHttp2Peer.Outcome("trailers", 0, ""));
    }
    assertThat(reg.blocking().resolve(ResolveRequest.newBuilder().setService("steady").build())
        .getTargets(0).getPort()).isEqualTo(port);
  }

  @Test
  void lease_ofAClientPingingEverySecond_isKept() throws Exception {
    reg = TestRegistry.start(dir, 4);
    Metadata headers = new Metadata();
    headers.put(TestRegistry.TOKEN, reg.token());
    NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", reg.registry.port())
        .usePlaintext()
        .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
        .keepAliveTime(1, TimeUnit.SECONDS)
        .keepAliveTimeout(5, TimeUnit.SECONDS);
    forceKeepAliveTime(builder, Duration.ofSeconds(1));
    ManagedChannel channel = builder.build();
    try {
      AttachClient lease = new AttachClient(RegistryGrpc.newStub(channel));
      int port = lease.attachLive("pinger");

      // a registry that allowed pings every 5 s sent GOAWAY "too_many_pings" after the third
      // early ping (~3 s); hold the lease well past that
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
      while (System.nanoTime() < until && lease.isQuiet()) {
        Thread.sleep(50);
      }

      assertThat(lease.isQuiet()).as("the lease stream got nothing (no GOAWAY, no end)").isTrue();
      assertThat(reg.blocking().resolve(ResolveRequest.newBuilder().setService("pinger").build())
          .getTargets(0).getPort()).isEqualTo(port);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * grpc-java raises a client's keepAliveTime below 10 s to 10 s, to protect servers; a client
   * in another language is not held to that, and this one plays such a client.
   */
  private static void forceKeepAliveTime(NettyChannelBuilder builder, Duration time) throws Exception {
    Field f = NettyChannelBuilder.class.getDeclaredField("keepAliveTimeNanos");
    f.setAccessible(true);
    f.setLong(builder, time.toNanos());
  }
}
