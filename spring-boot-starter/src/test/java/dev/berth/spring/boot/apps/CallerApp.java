package dev.berth.spring.boot.apps;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClient;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/** An application that calls others by name and serves nothing: the tests' own context. */
@SpringBootConfiguration
@EnableAutoConfiguration
@LoadBalancerClient(name = "fixed", configuration = FixedSupplier.class)
public class CallerApp {
  @Bean
  @LoadBalanced
  RestClient.Builder loadBalanced() {
    return RestClient.builder();
  }
}
