package dev.berth.spring.boot.internal;

import java.util.List;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;

/** Spring Cloud's blocking {@link DiscoveryClient} over Berth's watch ({@link ServiceWatches}). Thread-safe. */
public final class BerthDiscoveryClient implements DiscoveryClient {
  private final ServiceWatches watches;

  public BerthDiscoveryClient(ServiceWatches watches) {
    this.watches = watches;
  }

  @Override
  public String description() {
    return "Berth: the live instances of <service>/http, pushed by the local registry";
  }

  @Override
  public List<ServiceInstance> getInstances(String serviceId) {
    return watches.instances(serviceId);
  }

  @Override
  public List<String> getServices() {
    return watches.services();
  }
}
