package dev.berth.spring.boot.internal;

import dev.berth.spring.boot.BerthAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A web application's port from Berth: the lease's {@code http} endpoint, sticky (the same
 * port on the next start, while no one else holds it), and live once the server listens.
 */
@AutoConfiguration(before = BerthAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "berth.enabled", matchIfMissing = true)
@ConditionalOnWebApplication
@ConditionalOnClass(WebServerFactoryCustomizer.class)
public class BerthWebServerAutoConfiguration {
  @Bean
  AppInstance.EndpointSpec berthHttpEndpoint() {
    return new AppInstance.EndpointSpec(WebServers.HTTP);
  }

  @Bean
  WebServerFactoryCustomizer<?> berthWebServerPort(ObjectProvider<AppInstance> instance, Environment env) {
    return new WebServers.PortCustomizer(instance, env);
  }
}
