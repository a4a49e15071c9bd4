package dev.berth.spring.boot.internal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * Tells the {@link AppInstance} when its servers listen (Boot's {@code WebServerInitializedEvent}
 * for {@code http} and, from the management child context, {@code management}; Spring gRPC's
 * {@code GrpcServerStartedEvent} for {@code grpc}), and ends its lease when this context
 * (not a child) starts closing: before the servers stop, so no caller is sent to a closing
 * server. When the application is ready, every endpoint must have listened, or start fails.
 *
 * <p>Events of a child context reach the parent's listeners too, which is how the management
 * server's arrives here. Called on the thread publishing the event.
 */
public final class InstanceLifecycle implements GenericApplicationListener, ApplicationContextAware {
  private static final String WEB_EVENT = "org.springframework.boot.web.server.context.WebServerInitializedEvent";
  private static final String GRPC_EVENT = "org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent";

  private final ObjectProvider<AppInstance> instance;
  private ApplicationContext context;

  public InstanceLifecycle(ObjectProvider<AppInstance> instance) {
    this.instance = instance;
  }

  @Override
  public void setApplicationContext(ApplicationContext context) {
    this.context = context;
  }

  @Override
  public boolean supportsEventType(ResolvableType eventType) {
    Class<?> type = eventType.toClass();
    return ContextClosedEvent.class.isAssignableFrom(type) || ApplicationReadyEvent.class.isAssignableFrom(type)
        || isA(type, WEB_EVENT) || isA(type, GRPC_EVENT);
  }

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ContextClosedEvent closed) {
      if (closed.getApplicationContext() == context && created()) {
        instance.ifAvailable(AppInstance::close);
      }
    } else if (event instanceof ApplicationReadyEvent ready) {
      if (ready.getApplicationContext() == context && created()) {
        // thrown from here, Boot fails the start and closes the context (and the lease); not
        // created (lazy initialisation, an app that only calls): nothing to check, nothing to make
        instance.ifAvailable(AppInstance::checkListening);
      }
    } else if (isA(event.getClass(), WEB_EVENT)) {
      WebServers.started(event, instance);
    } else if (isA(event.getClass(), GRPC_EVENT)) {
      GrpcServers.started(event, instance);
    }
  }

  /**
   * Whether the instance bean exists yet: with lazy initialization it may not, and asking for
   * it while the context closes would create it, and connect a {@code Berth}, only to close it.
   */
  private boolean created() {
    if (context instanceof ConfigurableApplicationContext configurable) {
      var beans = configurable.getBeanFactory();
      for (String name : beans.getBeanNamesForType(AppInstance.class, true, false)) {
        if (beans.containsSingleton(name)) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  private static boolean isA(Class<?> type, String className) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(className)) {
        return true;
      }
    }
    return false;
  }

  static boolean present(String className) {
    return ClassUtils.isPresent(className, InstanceLifecycle.class.getClassLoader());
  }
}
