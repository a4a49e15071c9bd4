package dev.berth.bench;

import dev.berth.bench.etcd.etcdserverpb.LeaseGrantResponse;
import dev.berth.bench.etcd.etcdserverpb.LeaseKeepAliveRequest;
import dev.berth.bench.etcd.etcdserverpb.LeaseKeepAliveResponse;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The etcd client the bench runs as a separate process, as {@link BenchChild} is for Berth's
 * rows. Modes, each with etcd's client port as {@code PORT}:
 *
 * <ul>
 *   <li>{@code hold PORT KEY}: grants a lease of etcd's minimum TTL (it asks for 1 s; etcd
 *       raises that to its floor), puts {@code KEY} with it, keeps it alive every TTL / 3 as
 *       clientv3's {@code KeepAlive} does, prints {@code ready TTL}; lives until killed.
 *   <li>{@code attach PORT KEY}: for each {@code go} line on stdin, prints {@code t0 NANOTIME},
 *       grants a lease and puts {@code KEY} with it (a service registering itself in etcd);
 *       for each {@code close} line, revokes the lease and prints {@code closed}; for a
 *       {@code warm N} line, runs N grant, put, revoke cycles (JIT warm-up) and prints
 *       {@code warmed}.
 * </ul>
 */
public final class EtcdChild {
  /** The TTL of an attach-mode lease: longer than any cycle, so it never expires on its own. */
  private static final long ATTACH_TTL_SECONDS = 30;

  private EtcdChild() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: EtcdChild hold|attach PORT KEY");
      System.exit(2);
    }
    try (EtcdClient client = new EtcdClient(Integer.parseInt(args[1]))) {
      switch (args[0]) {
        case "hold" -> hold(client, args[2]);
        case "attach" -> attachLoop(client, args[2]);
        default -> {
          System.err.println("unknown mode: " + args[0]);
          System.exit(2);
        }
      }
    }
  }

  private static void hold(EtcdClient client, String key) throws Exception {
    LeaseGrantResponse lease = client.grant(1);
    client.put(key, "127.0.0.1:0", lease.getID());
    CountDownLatch ended = new CountDownLatch(1);
    StreamObserver<LeaseKeepAliveRequest> keepAlive = client.keepAlive(lease.getID(),
        new StreamObserver<LeaseKeepAliveResponse>() {
          @Override
          public void onNext(LeaseKeepAliveResponse value) {}

          @Override
          public void onError(Throwable t) {
            ended.countDown();
          }

          @Override
          public void onCompleted() {
            ended.countDown();
          }
        });
    // one thread sends every keep-alive after the first: a stream observer is not thread-safe
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    long every = Math.max(1, lease.getTTL() * 1000 / 3);
    timer.scheduleAtFixedRate(() -> keepAlive.onNext(LeaseKeepAliveRequest.newBuilder().setID(lease.getID()).build()),
        every, every, TimeUnit.MILLISECONDS);
    System.out.println("ready " + lease.getTTL());
    System.out.flush();
    ended.await();
  }

  private static void attachLoop(EtcdClient client, String key) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("waiting");
    System.out.flush();
    long lease = 0;
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("go")) {
        long t0 = System.nanoTime();
        lease = client.grant(ATTACH_TTL_SECONDS).getID();
        client.put(key, "127.0.0.1:0", lease);
        System.out.println("t0 " + t0);
      } else if (line.startsWith("warm ")) {
        int n = Integer.parseInt(line.substring(5));
        for (int i = 0; i < n; i++) {
          long warm = client.grant(ATTACH_TTL_SECONDS).getID();
          client.put(key, "127.0.0.1:0", warm);
          client.revoke(warm);
        }
        System.out.println("warmed");
      } else if (line.equals("close") && lease != 0) {
        client.revoke(lease);
        lease = 0;
        System.out.println("closed");
      }
      System.out.flush();
    }
  }
}
