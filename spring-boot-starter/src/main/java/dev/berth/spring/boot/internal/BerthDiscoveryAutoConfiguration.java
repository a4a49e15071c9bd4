package dev.berth.spring.boot.internal;

import dev.berth.client.Berth;
import dev.berth.spring.boot.BerthAutoConfiguration;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.ConditionalOnBlockingDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnDiscoveryEnabled;
import org.springframework.cloud.client.ConditionalOnReactiveDiscoveryEnabled;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Calling by name: a {@code DiscoveryClient} and a {@code ReactiveDiscoveryClient} over
 * Berth's watch, and Spring Cloud LoadBalancer fed from it ({@link BerthLoadBalancerConfiguration}),
 * so {@code @LoadBalanced} clients reach {@code http://orders/...}.
 */
@AutoConfiguration(after = BerthAutoConfiguration.class,
    beforeName = {"org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration",
        "org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration",
        "org.springframework.cloud.loadbalancer.config.LoadBalancerAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "berth.enabled", matchIfMissing = true)
@ConditionalOnDiscoveryEnabled
@LoadBalancerClients(defaultConfiguration = BerthLoadBalancerConfiguration.class)
public class BerthDiscoveryAutoConfiguration {
  /** How long a first lookup of a name waits for its watch's first answer. */
  private static final Duration FIRST_ANSWER = Duration.ofSeconds(5);

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  ServiceWatches berthServiceWatches(Berth berth) {
    return new ServiceWatches(berth, FIRST_ANSWER);
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnBlockingDiscoveryEnabled
  static class Blocking {
    @Bean
    BerthDiscoveryClient berthDiscoveryClient(ServiceWatches watches) {
      return new BerthDiscoveryClient(watches);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnReactiveDiscoveryEnabled
  // as Spring Cloud's own reactive discovery: a WebFlux application's
  @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
  static class Reactive {
    @Bean
    BerthReactiveDiscoveryClient berthReactiveDiscoveryClient(ServiceWatches watches) {
      return new BerthReactiveDiscoveryClient(watches);
    }
  }
}
