package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import dev.berth.proto.v1.ListRequest;
import dev.berth.proto.v1.Ready;
import dev.berth.proto.v1.ResolveRequest;
import dev.berth.testing.TestPools;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes that are not a valid message fail their own call with INVALID_ARGUMENT, and neither
 * they nor a connection that is not HTTP/2 at all fill the log with stack traces.
 */
class MalformedRequestTest {

  /** Request bytes no protobuf parser accepts, each for a different reason. */
  static final List<byte[]> GARBAGE = List.of(
      new byte[] {0x00}, // field number 0
      new byte[] {0x0a, 0x10, 'a'}, // a string of 16 bytes that has 1
      new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
          (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // varint > 10 bytes
      new byte[] {0x0f}); // wire type 7

  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  @TempDir Path dir;
  private TestRegistry reg;
  private LogCapture logs;

  @BeforeEach
  void start() throws Exception {
    reg = TestRegistry.start(dir, 4);
    logs = new LogCapture();
  }

  @AfterEach
  void stop() {
    logs.close();
    reg.close();
  }

  static MethodDescriptor<byte[], byte[]> raw(String method, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setFullMethodName("berth.v1.Registry/" + method)
        .setType(type)
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  static byte[] rawResolve(Channel channel, byte[] request) {
    return ClientCalls.blockingUnaryCall(channel, raw("Resolve", MethodDescriptor.MethodType.UNARY),
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
  }

  @Test
  void resolve_withGarbageBytes_isInvalidArgumentNamingTheMethodAndType() throws Exception {
    Channel channel = reg.channel();
    for (byte[] garbage : GARBAGE) {
      assertThatThrownBy(() -> rawResolve(channel, garbage))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(
                "berth.v1.Registry/Resolve: the request bytes are not a valid berth.v1.ResolveRequest message");
          });
    }
    // the connection is fine: a good request on it is answered
    assertThatThrownBy(() -> rawResolve(channel,
        ResolveRequest.newBuilder().setService("nobody").build().toByteArray()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void attach_withGarbageOnALiveLease_endsThatLeaseAloneWithInvalidArgument() throws Exception {
    AttachClient bystander = reg.attach();
    int bystanderPort = bystander.attachLive("bystander");
    Channel channel = reg.channel();
    WatchClient watch = reg.watch("victim", "main");
    RawStream victim = new RawStream(channel);
    victim.send(AttachRequest.newBuilder().setRegister(AttachClient.register("victim")).build()
        .toByteArray());
    int port = AttachResponse.parseFrom(victim.next()).getAssigned().getEndpoints(0).getPort();
    // the registry checks that the instance (this JVM, whose pid it registered) listens
    try (ServerSocket listening = TestPools.squat(port)) {
      victim.send(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build().toByteArray());
      assertThat(AttachResponse.parseFrom(victim.next()).hasLive()).isTrue();
      watch.await(WatchClient.hasPort(port));

      victim.send(GARBAGE.get(1));
    }

    Status end = victim.end();
    assertThat(end.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(end.getDescription()).contains("berth.v1.Registry/Attach", "berth.v1.AttachRequest");
    watch.await(WatchClient.lacksPort(port)); // the lease ended: watchers are told at once
    assertThat(bystander.isQuiet()).isTrue();
    assertThat(reg.blocking().list(ListRequest.getDefaultInstance()).getInstancesList())
        .extracting(i -> i.getEndpoints(0).getPort()).contains(bystanderPort).doesNotContain(port);
  }

  @Test
  void garbageFlood_logsAtMostOneLinePerTenSecondsAndNoStackTrace() throws Exception {
    long started = System.nanoTime();
    for (int connection = 0; connection < 8; connection++) {
      Channel channel = reg.channel();
      for (int i = 0; i < 10; i++) {
        byte[] garbage = GARBAGE.get(i % GARBAGE.size());
        assertThatThrownBy(() -> rawResolve(channel, garbage))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
      }
    }
    long elapsedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

    assertThat(logs.withStackTrace(Level.INFO)).as(LogCapture.describe(logs.records)).isEmpty();
    assertThat(logs.atLeast(Level.SEVERE)).as(LogCapture.describe(logs.records)).isEmpty();
    List<LogRecord> lines = logs.records.stream()
        .filter(r -> String.valueOf(r.getMessage()).startsWith("malformed request")).toList();
    assertThat(lines).as(LogCapture.describe(lines)).isNotEmpty()
        .hasSizeLessThanOrEqualTo(1 + (int) (elapsedSeconds / 10));
  }

  @Test
  void tcpConnectionThatIsNotHttp2_logsNoStackTrace() throws Exception {
    // the registry's own line for such a connection is FINE: let it through, to wait for it
    java.util.logging.Logger quiet = java.util.logging.Logger.getLogger(
        "dev.berth.registry.internal.NotHttp2Peers");
    quiet.setLevel(Level.FINE);
    byte[] noise = new byte[4096];
    new Random(9).nextBytes(noise);
    List<byte[]> peers = List.of(noise,
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII) /* then noise */);
    for (byte[] bytes : peers) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), reg.registry.port())) {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(bytes);
        out.write(noise);
        out.flush();
        InputStream in = s.getInputStream();
        while (in.read() != -1) { // the registry closes the connection: bounded by soTimeout
        }
      } catch (java.net.SocketException reset) {
        // closed with unread bytes: a reset, as good as a close
      }
    }
    // the registry still answers, on a connection opened after the garbage ones closed
    assertThat(reg.blocking().list(ListRequest.getDefaultInstance())).isNotNull();
    // each closed connection is logged once, by grpc-java or by the registry: wait for all
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AttachClient.WAIT_SECONDS);
    while (logs.records.stream().filter(r -> quiet.getName().equals(r.getLoggerName())
        || "io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport.connections".equals(r.getLoggerName()))
        .count() < peers.size() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    quiet.setLevel(null);

    assertThat(logs.withStackTrace(Level.INFO)).as(LogCapture.describe(logs.records)).isEmpty();
    assertThat(logs.atLeast(Level.WARNING)).as(LogCapture.describe(logs.records)).isEmpty();
    assertThat(logs.records.stream().filter(r -> quiet.getName().equals(r.getLoggerName())))
        .as("one FINE line per connection").hasSize(peers.size())
        .allSatisfy(r -> assertThat(r.getThrown()).isNull());
  }

  /** An Attach stream of raw bytes. */
  static final class RawStream {
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final StreamObserver<byte[]> requests;

    RawStream(Channel channel) {
      requests = ClientCalls.asyncBidiStreamingCall(
          channel.newCall(raw("Attach", MethodDescriptor.MethodType.BIDI_STREAMING), CallOptions.DEFAULT),
          new StreamObserver<byte[]>() {
            @Override
            public void onNext(byte[] value) {
              events.add(value);
            }

            @Override
            public void onError(Throwable t) {
              events.add(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
              events.add(Status.OK);
            }
          });
    }

    void send(byte[] message) {
      requests.onNext(message);
    }

    byte[] next() throws InterruptedException {
      Object e = events.poll(AttachClient.WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(e).as("a message within %d s", AttachClient.WAIT_SECONDS).isInstanceOf(byte[].class);
      return (byte[]) e;
    }

    Status end() throws InterruptedException {
      Object e = events.poll(AttachClient.WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(e).as("the end of the stream within %d s", AttachClient.WAIT_SECONDS)
          .isInstanceOf(Status.class);
      return (Status) e;
    }
  }
}
