package dev.aiagg.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication(scanBasePackages = "dev.aiagg")
@ConfigurationPropertiesScan("dev.aiagg.gateway")
public class AiAggregatorApplication {

    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        prepareJvm();
        SpringApplication.run(AiAggregatorApplication.class, args);
    }

    /**
     * System properties that must be set before anything reads them, so first thing in {@code main}. Axon reads
     * the first two as system properties only; without them it calls out to the internet at start-up. The JDK's
     * HTTP client completes every provider response through CompletableFuture's default executor, which with a
     * common pool of one thread (any machine under three cores) starts a new thread per task: two keep it a pool.
     */
    public static void prepareJvm() {
        System.setProperty("axoniq.update-checker.disabled", "true");
        System.setProperty("disable-axoniq-console-message", "true");
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() < 3) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
    }
}
