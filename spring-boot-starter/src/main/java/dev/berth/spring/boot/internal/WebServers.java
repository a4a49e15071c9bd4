package dev.berth.spring.boot.internal;

import java.net.InetAddress;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The web server's side: its port from the lease's {@code http} endpoint, and its start
 * reported to {@link AppInstance}. Loaded only where Boot's web server classes are.
 */
final class WebServers {
  static final String HTTP = "http";
  static final String MANAGEMENT = "management";

  private WebServers() {}

  /** A {@code WebServerInitializedEvent}: the main server is {@code http}, the management child's {@code management}. */
  static void started(ApplicationEvent event, ObjectProvider<AppInstance> instance) {
    WebServerInitializedEvent initialized = (WebServerInitializedEvent) event;
    String namespace = initialized.getApplicationContext().getServerNamespace();
    String endpoint = namespace == null ? HTTP : MANAGEMENT.equals(namespace) ? MANAGEMENT : null;
    if (endpoint != null) {
      instance.ifAvailable(app -> app.listening(endpoint, initialized.getWebServer().getPort()));
    }
  }

  /**
   * Sets the main web server's port to the lease's {@code http} port, and its address to
   * loopback unless {@code server.address} is set: Berth's ports are 127.0.0.1 ports. Runs
   * last, after Boot's own customizer applied {@code server.*}.
   */
  static final class PortCustomizer implements WebServerFactoryCustomizer<ConfigurableWebServerFactory>, Ordered {
    private final ObjectProvider<AppInstance> instance;
    private final Environment env;

    PortCustomizer(ObjectProvider<AppInstance> instance, Environment env) {
      this.instance = instance;
      this.env = env;
    }

    @Override
    public void customize(ConfigurableWebServerFactory factory) {
      factory.setPort(instance.getObject().port(HTTP));
      if (!env.containsProperty("server.address")) {
        factory.setAddress(InetAddress.getLoopbackAddress());
      }
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
