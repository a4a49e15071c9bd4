package dev.berth.spring.boot.internal;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** Spring Cloud's {@link ReactiveDiscoveryClient} over Berth's watch ({@link ServiceWatches}). Thread-safe; never blocks the caller. */
public final class BerthReactiveDiscoveryClient implements ReactiveDiscoveryClient {
  private final ServiceWatches watches;

  public BerthReactiveDiscoveryClient(ServiceWatches watches) {
    this.watches = watches;
  }

  @Override
  public String description() {
    return "Berth: the live instances of <service>/http, pushed by the local registry";
  }

  @Override
  public Flux<ServiceInstance> getInstances(String serviceId) {
    return watches.changes(serviceId).next().flatMapIterable(list -> list);
  }

  @Override
  public Flux<String> getServices() {
    return Flux.defer(() -> Flux.fromIterable(watches.services())).subscribeOn(Schedulers.boundedElastic());
  }
}
