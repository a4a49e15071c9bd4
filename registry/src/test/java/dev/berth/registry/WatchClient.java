package dev.berth.registry;

import static org.assertj.core.api.Assertions.fail;

import dev.berth.proto.v1.RegistryGrpc;
import dev.berth.proto.v1.Snapshot;
import dev.berth.proto.v1.WatchRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A Watch stream whose snapshots land in a queue. */
final class WatchClient {

  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

  WatchClient(RegistryGrpc.RegistryStub stub, String service, String endpoint) {
    this(stub, "", service, endpoint);
  }

  /** Watches from {@code namespace} ("" the default). */
  WatchClient(RegistryGrpc.RegistryStub stub, String namespace, String service, String endpoint) {
    stub.watch(WatchRequest.newBuilder().setService(service).setEndpoint(endpoint)
            .setNamespace(namespace).build(),
        new StreamObserver<>() {
          @Override
          public void onNext(Snapshot value) {
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

  /** Waits for a snapshot matching {@code condition}, skipping earlier ones. */
  Snapshot await(Predicate<Snapshot> condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(AttachClient.WAIT_SECONDS);
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        Object e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
        if (e == null) {
          fail("no matching snapshot within " + AttachClient.WAIT_SECONDS + " s");
        }
        if (e instanceof Status) {
          fail("watch ended: " + e);
        }
        Snapshot s = (Snapshot) e;
        if (condition.test(s)) {
          return s;
        }
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  /** The next snapshot, whatever it holds. */
  Snapshot next() {
    return await(s -> true);
  }

  Status awaitEnd() {
    try {
      while (true) {
        Object e = events.poll(AttachClient.WAIT_SECONDS, TimeUnit.SECONDS);
        if (e == null) {
          fail("watch did not end within " + AttachClient.WAIT_SECONDS + " s");
        }
        if (e instanceof Status) {
          return (Status) e;
        }
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  /** True when nothing (no snapshot, no end) arrived since the last one taken. */
  boolean isQuiet() {
    return events.isEmpty();
  }

  static Predicate<Snapshot> hasPort(int port) {
    return s -> s.getTargetsList().stream().anyMatch(t -> t.getPort() == port);
  }

  /** Exactly these ports, from {@code namespace} ("" the default). */
  static Predicate<Snapshot> isExactly(String namespace, Integer... ports) {
    return s -> s.getNamespace().equals(namespace)
        && s.getTargetsList().stream().map(t -> t.getPort()).toList().equals(List.of(ports));
  }

  static Predicate<Snapshot> lacksPort(int port) {
    return hasPort(port).negate();
  }
}
