package dev.berth.spring.boot.internal;

import dev.berth.client.Address;
import dev.berth.client.Berth;
import dev.berth.client.BerthWatch;
import dev.berth.client.InternalBerth;
import dev.berth.proto.v1.Endpoint;
import dev.berth.proto.v1.Instance;
import dev.berth.proto.v1.ListRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One Berth watch per service id called by name, shared by the discovery clients and the
 * load balancer: {@code http://orders/} means the live instances of {@code orders/http}, as
 * the registry pushes them (no polling, no cache to go stale). A watch starts on the first
 * lookup of its id and lasts as long as this object.
 *
 * <p>Thread-safe. Watch listeners run one at a time per watch, on Berth's executor.
 */
public final class ServiceWatches implements AutoCloseable {
  /** The endpoint {@code http://name/} calls: what every Spring Boot application on Berth serves. */
  public static final String ENDPOINT = "http";

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private final Berth berth;
  private final Duration firstWait;
  private final ConcurrentMap<String, ServiceWatch> watches = new ConcurrentHashMap<>();

  public ServiceWatches(Berth berth, Duration firstWait) {
    this.berth = berth;
    this.firstWait = firstWait;
  }

  /** The live instances of {@code serviceId} now; waits (up to the first-wait bound) for its watch's first answer. */
  public List<ServiceInstance> instances(String serviceId) {
    ServiceWatch watch = watch(serviceId);
    return watch == null ? List.of() : watch.await(firstWait);
  }

  /**
   * The instances of {@code serviceId} now and on every change; empty for a name that is no DNS
   * label. A watch with no answer yet (the registry away) gives an empty list after the
   * first-wait bound, then its changes: a blocking load-balanced call fails then, not never.
   * Completes when this closes.
   */
  public Flux<List<ServiceInstance>> changes(String serviceId) {
    ServiceWatch watch = watch(serviceId);
    if (watch == null) {
      return Flux.just(List.of());
    }
    Flux<List<ServiceInstance>> changes = watch.sink.asFlux();
    return changes.timeout(Mono.delay(firstWait), next -> Mono.never(),
        Flux.<List<ServiceInstance>>just(List.of()).concatWith(changes));
  }

  /** Every service with a live {@code http} endpoint in this namespace or the default one. */
  public List<String> services() {
    ListRequest request = berth.namespace().isEmpty()
        ? ListRequest.newBuilder().setDefaultOnly(true).build()
        : ListRequest.newBuilder().setNamespace(berth.namespace()).build();
    Set<String> names = new TreeSet<>(withHttp(InternalBerth.registryStub(berth)
        .withDeadlineAfter(firstWait.toMillis(), TimeUnit.MILLISECONDS).list(request).getInstancesList()));
    if (!berth.namespace().isEmpty()) {
      names.addAll(withHttp(InternalBerth.registryStub(berth)
          .withDeadlineAfter(firstWait.toMillis(), TimeUnit.MILLISECONDS)
          .list(ListRequest.newBuilder().setDefaultOnly(true).build()).getInstancesList()));
    }
    return List.copyOf(names);
  }

  @Override
  public void close() {
    watches.values().forEach(w -> {
      w.watch.close();
      w.sink.tryEmitComplete(); // subscribers (load balancers, discovery calls) end, not hang
    });
    watches.clear();
  }

  private ServiceWatch watch(String serviceId) {
    String name = serviceId.toLowerCase(Locale.ROOT); // a URI's host: case does not count
    if (!LABEL.matcher(name).matches()) {
      return null;
    }
    return watches.computeIfAbsent(name, id -> new ServiceWatch(berth, id));
  }

  private static List<String> withHttp(List<Instance> instances) {
    return instances.stream()
        .filter(i -> i.getEndpointsList().stream().map(Endpoint::getName).anyMatch(ENDPOINT::equals))
        .map(Instance::getService)
        .collect(Collectors.toList());
  }

  /** The latest list of one service id; the sink replays it to each new subscriber. */
  private static final class ServiceWatch {
    final Sinks.Many<List<ServiceInstance>> sink = Sinks.many().replay().latest();
    final CountDownLatch first = new CountDownLatch(1);
    final String serviceId;
    final BerthWatch watch;
    volatile List<ServiceInstance> instances = List.of();

    ServiceWatch(Berth berth, String serviceId) {
      this.serviceId = serviceId;
      this.watch = berth.watch(serviceId + "/" + ENDPOINT, this::update);
    }

    private void update(List<Address> addresses) {
      List<ServiceInstance> now = addresses.stream()
          .filter(Address::isTcp)
          .map(a -> (ServiceInstance) new DefaultServiceInstance(a.toString(), serviceId, a.host(), a.port(), false))
          .collect(Collectors.toUnmodifiableList());
      instances = now;
      first.countDown();
      sink.tryEmitNext(now); // listener calls never overlap: no concurrent emission
    }

    List<ServiceInstance> await(Duration bound) {
      try {
        first.await(bound.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return instances;
    }
  }
}
