package dev.berth.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code berth.*} settings of a Spring Boot application on Berth. Every one has a default
 * that suits a developer's machine: with none set, the application registers as its
 * {@code spring.application.name} with the registry found by Berth's usual rule.
 *
 * <pre>{@code
 * # application-local.properties
 * berth.auto-start=true     # start a registry if none runs
 * # application-prod.properties
 * berth.enabled=false       # ports and names from elsewhere
 * }</pre>
 *
 * <p>Bound once at start; not thread-safe before that.
 */
@ConfigurationProperties("berth")
public class BerthProperties {
  /** Whether Berth assigns this application's ports and resolves names; false: as without the starter. */
  private boolean enabled = true;

  /**
   * Whether to start a registry (a process of its own, outliving this one) when none answers;
   * false: fail at start, saying how to start one.
   */
  private boolean autoStart = false;

  /** The name this application registers as; default spring.application.name. */
  private String service;

  /** The registry's host:port, fixed; default -Dberth.registry, $BERTH_REGISTRY, else registry.json in the state dir. */
  private String registry;

  /** The state dir holding registry.json and the token; default Berth's rule (-Dberth.home, $BERTH_HOME, ...). */
  private String home;

  /** The namespace to register and look names up in; default -Dberth.namespace, else $BERTH_NAMESPACE, else the default one. */
  private String namespace;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean isAutoStart() {
    return autoStart;
  }

  public void setAutoStart(boolean autoStart) {
    this.autoStart = autoStart;
  }

  public String getService() {
    return service;
  }

  public void setService(String service) {
    this.service = service;
  }

  public String getRegistry() {
    return registry;
  }

  public void setRegistry(String registry) {
    this.registry = registry;
  }

  public String getHome() {
    return home;
  }

  public void setHome(String home) {
    this.home = home;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }
}
