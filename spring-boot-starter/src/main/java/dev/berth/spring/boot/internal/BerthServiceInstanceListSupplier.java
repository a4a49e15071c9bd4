package dev.berth.spring.boot.internal;

import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import reactor.core.publisher.Flux;

/**
 * Feeds Spring Cloud LoadBalancer from Berth's watch: each list the registry pushes replaces
 * the last, so an instance whose lease ends (closed, or its process killed) is gone from the
 * next call on, with no cache in between. Thread-safe.
 */
public final class BerthServiceInstanceListSupplier implements ServiceInstanceListSupplier {
  private final ServiceWatches watches;
  private final String serviceId;

  public BerthServiceInstanceListSupplier(ServiceWatches watches, String serviceId) {
    this.watches = watches;
    this.serviceId = serviceId;
  }

  @Override
  public String getServiceId() {
    return serviceId;
  }

  @Override
  public Flux<List<ServiceInstance>> get() {
    return watches.changes(serviceId);
  }
}
