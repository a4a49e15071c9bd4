package dev.berth.spring.boot.apps;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.ServiceInstanceListSuppliers;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/** An application that calls others by name and serves nothing: the tests' own context. */
@SpringBootConfiguration
@EnableAutoConfiguration
@LoadBalancerClient(name = "fixed", configuration = CallerApp.FixedSupplier.class)
public class CallerApp {
  @Bean
  @LoadBalanced
  RestClient.Builder loadBalanced() {
    return RestClient.builder();
  }

  /** A client's own supplier for {@code fixed}, as a user may have: it, not Berth's, serves that id. Not scanned. */
  public static class FixedSupplier {
    @Bean
    ServiceInstanceListSupplier fixedSupplier() {
      return ServiceInstanceListSuppliers.from("fixed",
          new DefaultServiceInstance("fixed-1", "fixed", "127.0.0.1", 1, false));
    }
  }
}
