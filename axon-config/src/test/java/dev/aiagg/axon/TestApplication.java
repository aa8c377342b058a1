package dev.aiagg.axon;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The axon-config beans plus the sample aggregate and projection of the tests, nothing else. */
@SpringBootApplication(scanBasePackages = "dev.aiagg.axon")
public class TestApplication {
}
