package dev.aiagg.axon;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * Base of the tests against the real PostgreSQL and RabbitMQ. All subclasses share one Spring context, started on
 * a freshly created database.
 */
@SpringBootTest(classes = TestApplication.class)
public abstract class AxonIntegrationTest {

    static {
        TestDatabase.recreate();
    }
}
