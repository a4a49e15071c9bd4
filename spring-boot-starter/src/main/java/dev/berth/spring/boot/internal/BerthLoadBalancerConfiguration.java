package dev.berth.spring.boot.internal;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The default configuration of every load-balancer client context: Berth's supplier, in
 * place of the discovery-client one that Spring Cloud wraps in a 35 s cache. Not scanned;
 * named by {@code @LoadBalancerClients} on {@link BerthDiscoveryAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
public class BerthLoadBalancerConfiguration {
  /** Unless the client's own configuration ({@code @LoadBalancerClient(configuration = ...)}, registered first) has one. */
  @Bean
  @ConditionalOnMissingBean
  ServiceInstanceListSupplier berthServiceInstanceListSupplier(ServiceWatches watches, Environment env) {
    return new BerthServiceInstanceListSupplier(watches, env.getProperty(LoadBalancerClientFactory.PROPERTY_NAME));
  }
}
