package dev.berth.spring.boot.internal;

import dev.berth.spring.boot.BerthAutoConfiguration;
import java.net.InetAddress;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * A separate management server (Actuator with {@code management.server.port} set, to any
 * value, {@code 0} included) gets the lease's {@code management} endpoint: Berth's port
 * replaces the configured one, so the property only says "separate".
 */
@AutoConfiguration(before = BerthAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "berth.enabled", matchIfMissing = true)
@ConditionalOnWebApplication
@ConditionalOnClass(ManagementServerProperties.class)
@Conditional(BerthManagementAutoConfiguration.SeparatePort.class)
public class BerthManagementAutoConfiguration {
  @Bean
  AppInstance.EndpointSpec berthManagementEndpoint() {
    return new AppInstance.EndpointSpec(WebServers.MANAGEMENT);
  }

  /** Sets the port, and loopback unless {@code management.server.address} is set, before the management context reads them. */
  @Bean
  static BeanPostProcessor berthManagementPort(ObjectProvider<AppInstance> instance, Environment env) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String name) throws BeansException {
        if (bean instanceof ManagementServerProperties management) {
          management.setPort(instance.getObject().port(WebServers.MANAGEMENT));
          // Berth's ports are 127.0.0.1 ports, as the main server's (WebServers)
          if (!env.containsProperty("management.server.address")) {
            management.setAddress(InetAddress.getLoopbackAddress());
          }
        }
        return bean;
      }
    };
  }

  /** {@code management.server.port} set and not the server's port, beside an embedded server: Boot starts a second server. */
  static final class SeparatePort implements org.springframework.context.annotation.Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      // and a main web server that really starts: a MOCK web environment starts neither
      return context.getResourceLoader() instanceof WebServerApplicationContext
          && ManagementPortType.get(context.getEnvironment()) == ManagementPortType.DIFFERENT;
    }
  }
}
