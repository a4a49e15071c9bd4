package dev.berth.bench;

import com.google.protobuf.ByteString;
import dev.berth.bench.etcd.etcdserverpb.KVGrpc;
import dev.berth.bench.etcd.etcdserverpb.LeaseGrantRequest;
import dev.berth.bench.etcd.etcdserverpb.LeaseGrantResponse;
import dev.berth.bench.etcd.etcdserverpb.LeaseGrpc;
import dev.berth.bench.etcd.etcdserverpb.LeaseKeepAliveRequest;
import dev.berth.bench.etcd.etcdserverpb.LeaseKeepAliveResponse;
import dev.berth.bench.etcd.etcdserverpb.LeaseRevokeRequest;
import dev.berth.bench.etcd.etcdserverpb.PutRequest;
import dev.berth.bench.etcd.etcdserverpb.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One connection to etcd through grpc-java, the client stack of Berth's own rows: a plain
 * {@code NettyChannelBuilder} channel to 127.0.0.1 and the stubs of etcd's v3 API generated
 * from {@code src/main/proto/etcd}. Thread-safe, as grpc-java's channels and blocking stubs are.
 */
final class EtcdClient implements AutoCloseable {
  final ManagedChannel channel;
  private final KVGrpc.KVBlockingStub kv;
  private final LeaseGrpc.LeaseBlockingStub lease;

  EtcdClient(int port) {
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    kv = KVGrpc.newBlockingStub(channel);
    lease = LeaseGrpc.newBlockingStub(channel);
  }

  static ByteString bytes(String s) {
    return ByteString.copyFrom(s, StandardCharsets.UTF_8);
  }

  /** The first key after every key that starts with {@code prefix}: etcd's range end for it. */
  static ByteString prefixEnd(String prefix) {
    byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
    end[end.length - 1]++;
    return ByteString.copyFrom(end);
  }

  /** Ranges are linearizable unless asked otherwise, as {@code etcdctl get} and clientv3's are. */
  KVGrpc.KVBlockingStub kv() {
    return kv;
  }

  long countPrefix(String prefix) {
    return kv.range(RangeRequest.newBuilder().setKey(bytes(prefix)).setRangeEnd(prefixEnd(prefix))
        .setCountOnly(true).build()).getCount();
  }

  void put(String key, String value, long leaseId) {
    kv.put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).setLease(leaseId).build());
  }

  /** A lease of {@code ttlSeconds}, or of etcd's minimum TTL when that is more. */
  LeaseGrantResponse grant(long ttlSeconds) {
    return lease.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build());
  }

  void revoke(long leaseId) {
    lease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(leaseId).build());
  }

  /**
   * Opens a keep-alive stream for {@code leaseId} and sends its first keep-alive, as clientv3's
   * {@code KeepAlive} does; the caller sends the next ones on the returned observer, one
   * thread at a time.
   */
  StreamObserver<LeaseKeepAliveRequest> keepAlive(long leaseId, StreamObserver<LeaseKeepAliveResponse> responses) {
    StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(channel).leaseKeepAlive(responses);
    requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
    return requests;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
