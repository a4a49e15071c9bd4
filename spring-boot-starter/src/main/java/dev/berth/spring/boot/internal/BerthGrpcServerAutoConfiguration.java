package dev.berth.spring.boot.internal;

import dev.berth.spring.boot.BerthAutoConfiguration;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.grpc.server.autoconfigure.ConditionalOnGrpcNativeServer;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * A Spring gRPC server's port from Berth: the lease's {@code grpc} endpoint, set on
 * {@code spring.grpc.server.*} before the server factory reads it (on 127.0.0.1 unless a host
 * is configured); live once the server reports it started.
 *
 * <p>Only where Spring gRPC runs a native (Netty) server of its own: in its servlet mode
 * (a servlet application with {@code GrpcServlet} on the class path, unless
 * {@code spring.grpc.server.servlet.enabled=false}) gRPC is served on the web server's port,
 * no native server starts and no started event comes, so a {@code grpc} endpoint would never
 * listen.
 */
@AutoConfiguration(before = BerthAutoConfiguration.class, after = GrpcServerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "berth.enabled", matchIfMissing = true)
@ConditionalOnClass({GrpcServerProperties.class, GrpcServerStartedEvent.class})
@ConditionalOnBean(GrpcServerProperties.class)
@ConditionalOnGrpcNativeServer
public class BerthGrpcServerAutoConfiguration {
  @Bean
  AppInstance.EndpointSpec berthGrpcEndpoint() {
    return new AppInstance.EndpointSpec(GrpcServers.GRPC);
  }

  @Bean
  static BeanPostProcessor berthGrpcServerPort(ObjectProvider<AppInstance> instance, Environment env) {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String name) throws BeansException {
        if (bean instanceof GrpcServerProperties grpc) {
          // an address (host:port) would win over the port: Berth's port replaces it; the host
          // stays if one was given, else loopback, where Berth's ports are
          if (grpc.getAddress() != null) {
            String address = grpc.getAddress();
            int colon = address.lastIndexOf(':');
            grpc.setHost(colon > 0 ? address.substring(0, colon) : address);
            grpc.setAddress(null);
          } else if (!env.containsProperty("spring.grpc.server.host")) {
            grpc.setHost("127.0.0.1");
          }
          grpc.setPort(instance.getObject().port(GrpcServers.GRPC));
        }
        return bean;
      }
    };
  }
}
