package dev.berth.spring.boot.internal;

import dev.berth.spring.boot.BerthAutoConfiguration;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * A Spring gRPC server's port from Berth: the lease's {@code grpc} endpoint, set on
 * {@code spring.grpc.server.*} before the server factory reads it; live once the server
 * reports it started.
 */
@AutoConfiguration(before = BerthAutoConfiguration.class, after = GrpcServerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "berth.enabled", matchIfMissing = true)
@ConditionalOnClass({GrpcServerProperties.class, GrpcServerStartedEvent.class})
@ConditionalOnBean(GrpcServerProperties.class)
public class BerthGrpcServerAutoConfiguration {
  @Bean
  AppInstance.EndpointSpec berthGrpcEndpoint() {
    return new AppInstance.EndpointSpec(GrpcServers.GRPC);
  }

  @Bean
  static BeanPostProcessor berthGrpcServerPort(ObjectProvider<AppInstance> instance) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String name) throws BeansException {
        if (bean instanceof GrpcServerProperties grpc) {
          grpc.setPort(instance.getObject().port(GrpcServers.GRPC));
        }
        return bean;
      }
    };
  }
}
