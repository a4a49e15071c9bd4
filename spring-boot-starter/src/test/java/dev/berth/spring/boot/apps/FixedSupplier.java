package dev.berth.spring.boot.apps;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.ServiceInstanceListSuppliers;
import org.springframework.context.annotation.Bean;

/**
 * A load-balancer client's own supplier for {@code fixed}, as a user may have: it, not Berth's,
 * serves that id. Top-level and not scanned: a nested class with a {@code @Bean} would be
 * registered in {@link CallerApp}'s own context too, and a supplier there wins for every id.
 */
public class FixedSupplier {
  @Bean
  ServiceInstanceListSupplier supplier() {
    return ServiceInstanceListSuppliers.from("fixed",
        new DefaultServiceInstance("fixed-1", "fixed", "127.0.0.1", 1, false));
  }
}
