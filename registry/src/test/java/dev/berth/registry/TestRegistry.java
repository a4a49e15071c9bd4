package dev.berth.registry;

import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.testing.TestPools;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A real registry on an ephemeral port with a narrow pool, and channels to it. */
final class TestRegistry implements AutoCloseable {

  static final Metadata.Key<String> TOKEN =
      Metadata.Key.of("berth-token", Metadata.ASCII_STRING_MARSHALLER);

  final BerthRegistry registry;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final int poolFirst;
  final int poolLast;
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();
  private final List<AttachClient> attachClients = new CopyOnWriteArrayList<>();

  private TestRegistry(Path dir, int poolFirst, int poolSize, Consumer<BerthRegistry.Builder> custom)
      throws IOException {
    this.poolFirst = poolFirst;
    this.poolLast = poolFirst + poolSize - 1;
    BerthRegistry.Builder b = BerthRegistry.builder()
        .stateDir(dir)
        .port(0)
        .ports(poolFirst, poolLast)
        .meterRegistry(meters);
    custom.accept(b);
    registry = b.build().start();
  }

  static TestRegistry start(Path dir, int poolFirst, int poolSize) throws IOException {
    return new TestRegistry(dir, poolFirst, poolSize, b -> {});
  }

  static TestRegistry start(Path dir, int poolFirst, int poolSize,
      Consumer<BerthRegistry.Builder> custom) throws IOException {
    return new TestRegistry(dir, poolFirst, poolSize, custom);
  }

  /** A fresh pool of {@code poolSize} free ports. */
  static TestRegistry start(Path dir, int poolSize) throws IOException {
    return start(dir, TestPools.take(poolSize).first(), poolSize);
  }

  String token() throws IOException {
    return Files.readString(registry.stateDir().resolve("token"), StandardCharsets.US_ASCII).trim();
  }

  /** A new channel carrying the token: one per simulated client process. */
  ManagedChannel channel() throws IOException {
    Metadata headers = new Metadata();
    headers.put(TOKEN, token());
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", registry.port())
        .usePlaintext()
        .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
        .build();
    channels.add(ch);
    return ch;
  }

  ManagedChannel channelWithoutToken() {
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", registry.port())
        .usePlaintext()
        .build();
    channels.add(ch);
    return ch;
  }

  RegistryGrpc.RegistryBlockingStub blocking() throws IOException {
    return RegistryGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  AttachClient attach() throws IOException {
    AttachClient client = new AttachClient(RegistryGrpc.newStub(channel()));
    attachClients.add(client);
    return client;
  }

  WatchClient watch(String service, String endpoint) throws IOException {
    return new WatchClient(RegistryGrpc.newStub(channel()), service, endpoint);
  }

  WatchClient watchIn(String namespace, String service, String endpoint) throws IOException {
    return new WatchClient(RegistryGrpc.newStub(channel()), namespace, service, endpoint);
  }

  double counter(String name, String... tags) {
    Counter c = meters.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    attachClients.forEach(AttachClient::close); // their "services" stop listening
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
    }
    try {
      for (ManagedChannel ch : channels) {
        ch.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    registry.close();
  }
}
