package dev.berth.spring.boot;

import dev.berth.client.Berth;
import dev.berth.client.BerthException;
import dev.berth.client.internal.MetricsHttp;
import dev.berth.spring.boot.internal.AppInstance;
import dev.berth.spring.boot.internal.BerthUnavailableException;
import dev.berth.spring.boot.internal.InstanceLifecycle;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Puts a Spring Boot application on Berth: a {@link Berth} connected to the local registry
 * (recording into the application's {@code MeterRegistry}), and the application's lease, one
 * instance of {@code spring.application.name} whose endpoints the other auto-configurations
 * add ({@code http}, {@code management}, {@code grpc}, and {@code metrics} when Prometheus is
 * on the class path). Off with {@code berth.enabled=false}.
 *
 * <pre>{@code
 * <dependency>
 *   <groupId>dev.berth</groupId>
 *   <artifactId>berth-spring-boot-starter</artifactId>
 * </dependency>
 * }</pre>
 *
 * <p>With no registry running, start fails with one line saying how to start one, unless
 * {@code berth.auto-start=true} starts it.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "berth.enabled", matchIfMissing = true)
@EnableConfigurationProperties(BerthProperties.class)
public class BerthAutoConfiguration {
  private static final boolean PROMETHEUS = ClassUtils.isPresent(
      "io.micrometer.prometheusmetrics.PrometheusMeterRegistry", BerthAutoConfiguration.class.getClassLoader());

  /** The connection to the registry; closed with the context (its leases end at once). */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Berth berth(BerthProperties properties, ObjectProvider<MeterRegistry> meters, Environment env) {
    Berth.Builder builder = Berth.builder().autoStart(properties.isAutoStart());
    if (properties.getRegistry() != null) {
      builder.registry(properties.getRegistry());
    }
    if (properties.getHome() != null) {
      builder.stateDir(Path.of(properties.getHome()));
    }
    if (properties.getNamespace() != null) {
      builder.namespace(properties.getNamespace());
    }
    String service = serviceName(properties, env);
    if (service != null) {
      builder.serviceName(service);
    }
    MeterRegistry registry = meters.getIfUnique(); // none with two and no primary, rather than failing
    if (registry != null) {
      builder.meterRegistry(registry);
    }
    try {
      return builder.build();
    } catch (BerthException e) {
      if (e.status().getCode() == Status.Code.UNAVAILABLE) {
        throw new BerthUnavailableException(e);
      }
      throw e;
    }
  }

  /** This application's instance: its lease, attached when a server first asks for its port. */
  @Bean
  @ConditionalOnMissingBean
  AppInstance berthAppInstance(Berth berth, BerthProperties properties, Environment env,
      ObjectProvider<AppInstance.EndpointSpec> endpoints) {
    String service = serviceName(properties, env);
    List<String> names = endpoints.orderedStream().map(AppInstance.EndpointSpec::name)
        .distinct().collect(Collectors.toList());
    PrometheusMeterRegistry prometheus = PROMETHEUS
        ? MetricsHttp.find(berth.meterRegistry()).orElse(null) : null;
    return new AppInstance(berth, service, names, prometheus);
  }

  /** Makes the lease live once every server listens, and ends it as the context closes. */
  @Bean
  static InstanceLifecycle berthInstanceLifecycle(ObjectProvider<AppInstance> instance) {
    return new InstanceLifecycle(instance);
  }

  static String serviceName(BerthProperties properties, Environment env) {
    String service = properties.getService();
    return service != null && !service.isBlank() ? service : env.getProperty("spring.application.name");
  }
}
