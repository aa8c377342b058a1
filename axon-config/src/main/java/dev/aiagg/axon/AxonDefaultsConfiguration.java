package dev.aiagg.axon;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;

/** Loads the module's property defaults; the application's own properties take precedence. */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:aiagg-axon.properties")
class AxonDefaultsConfiguration {
}
