package dev.berth.spring.boot.internal;

import dev.berth.spring.boot.BerthAutoConfiguration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * A web application's port from Berth: the lease's {@code http} endpoint, sticky (the same
 * port on the next start, while no one else holds it), and live once the server listens.
 *
 * <p>Only for an embedded web server whose port is Berth's to choose ({@link BerthPort}): not
 * in a web context without a server (a {@code @SpringBootTest} MOCK environment), and not
 * with an explicit {@code server.port} of {@code 0} or {@code -1} (a RANDOM_PORT test, or no
 * connector): that server keeps its port and the application has no {@code http} endpoint.
 */
@AutoConfiguration(before = BerthAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "berth.enabled", matchIfMissing = true)
@ConditionalOnWebApplication
@ConditionalOnClass(WebServerFactoryCustomizer.class)
@Conditional(BerthWebServerAutoConfiguration.BerthPort.class)
public class BerthWebServerAutoConfiguration {
  @Bean
  AppInstance.EndpointSpec berthHttpEndpoint() {
    return new AppInstance.EndpointSpec(WebServers.HTTP);
  }

  @Bean
  WebServerFactoryCustomizer<?> berthWebServerPort(ObjectProvider<AppInstance> instance, Environment env) {
    return new WebServers.PortCustomizer(instance, env);
  }

  /** An embedded web server will start, and {@code server.port} is not {@code 0} or {@code -1}. */
  static final class BerthPort extends SpringBootCondition {
    private static final Log LOG = LogFactory.getLog(BerthWebServerAutoConfiguration.class);

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      if (!(context.getResourceLoader() instanceof WebServerApplicationContext)) {
        return ConditionOutcome.noMatch("no embedded web server (a MOCK web environment): no http endpoint");
      }
      Integer port = context.getEnvironment().getProperty("server.port", Integer.class);
      if (port != null && port <= 0) {
        LOG.info("berth: server.port=" + port + " is set: the web server keeps it, and this application "
            + "has no http endpoint on Berth (delete server.port to get one)");
        return ConditionOutcome.noMatch("server.port=" + port + ": the web server's own port");
      }
      return ConditionOutcome.match("an embedded web server on Berth's port");
    }
  }
}
