package dev.berth.spring.boot.apps;

import dev.berth.spring.boot.internal.AppInstance;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Adds an endpoint no server of the application ever serves: its start must fail, naming it. */
@Configuration(proxyBeanMethods = false)
public class UnservedEndpointApp {
  @Bean
  AppInstance.EndpointSpec unserved() {
    return new AppInstance.EndpointSpec("unserved");
  }
}
