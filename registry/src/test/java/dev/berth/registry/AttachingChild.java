package dev.berth.registry;

import dev.berth.proto.v1.AttachRequest;
import dev.berth.proto.v1.AttachResponse;
import dev.berth.proto.v1.EndpointRequest;
import dev.berth.proto.v1.Ready;
import dev.berth.proto.v1.Register;
import dev.berth.proto.v1.RegistryGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A service process for {@link ProcessTest}: attaches, binds its assigned port, sends ready,
 * prints {@code live PORT}, and then holds the lease until it is killed.
 * Arguments: registry port, token, service name, and optionally the endpoint name.
 */
final class AttachingChild {

  private AttachingChild() {}

  public static void main(String[] args) throws Exception {
    Metadata headers = new Metadata();
    headers.put(TestRegistry.TOKEN, args[1]);
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", Integer.parseInt(args[0]))
        .usePlaintext()
        .intercept(MetadataUtils.newAttachHeadersInterceptor(headers))
        .build();
    BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    StreamObserver<AttachRequest> requests = RegistryGrpc.newStub(channel).attach(
        new StreamObserver<>() {
          @Override
          public void onNext(AttachResponse value) {
            events.add(value);
          }

          @Override
          public void onError(Throwable t) {
            events.add(t);
          }

          @Override
          public void onCompleted() {
            events.add("completed");
          }
        });
    requests.onNext(AttachRequest.newBuilder().setRegister(Register.newBuilder()
        .setService(args[2]).setPid(ProcessHandle.current().pid())
        .addEndpoints(EndpointRequest.newBuilder().setName(args.length > 3 ? args[3] : "main")))
        .build());
    AttachResponse assigned = (AttachResponse) events.poll(20, TimeUnit.SECONDS);
    int port = assigned.getAssigned().getEndpoints(0).getPort();
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    requests.onNext(AttachRequest.newBuilder().setReady(Ready.getDefaultInstance()).build());
    Object live = events.poll(20, TimeUnit.SECONDS);
    if (!(live instanceof AttachResponse) || !((AttachResponse) live).hasLive()) {
      System.err.println("no live: " + live);
      System.exit(1);
    }
    System.out.println("live " + port);
    System.out.flush();
    Object end = events.take(); // until killed, or the registry goes away
    System.err.println("stream ended: " + end + " (socket " + server + ")");
    System.exit(3);
  }
}
