package dev.aiagg.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication(scanBasePackages = "dev.aiagg")
@ConfigurationPropertiesScan("dev.aiagg.gateway")
public class AiAggregatorApplication {

    public static void main(String[] args) {
        // Axon reads these as system properties only; without them it calls out to the internet at start-up.
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
        SpringApplication.run(AiAggregatorApplication.class, args);
    }
}
