package dev.aiagg.gateway.dependency;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.amqp.ConnectionFactoryCustomizer;
import org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Short timeouts and circuit breakers for PostgreSQL and Redis (the timeouts themselves are properties in
 * {@code application.yml}), what Spring's properties cannot set for Lettuce and RabbitMQ, and migrations on a
 * connection that is spared the short statement timeout.
 */
@Configuration(proxyBeanMethods = false)
class DependencyConfiguration {

    /** Lettuce's reconnect back-off grows to 30 s by default: Redis would be used again that long after it returns. */
    private static final Duration LONGEST_RECONNECT_DELAY = Duration.ofSeconds(1);

    @Bean
    DependencyCircuits dependencyCircuits(DependencyProperties properties) {
        return new DependencyCircuits(properties);
    }

    /** Puts the application's connection pool behind PostgreSQL's circuit breaker. */
    @Bean
    static BeanPostProcessor databaseCircuit(ObjectProvider<DependencyCircuits> circuits) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof DataSource pool && !(bean instanceof CircuitBreakingDataSource)) {
                    return new CircuitBreakingDataSource(pool, circuits.getObject().database());
                }
                return bean;
            }
        };
    }

    /**
     * While Lettuce is not connected, a command fails at once and the caller falls back, rather than waiting in
     * Lettuce's queue for the command timeout.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer redisCommandsFailWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    @Bean
    ClientResourcesBuilderCustomizer redisReconnectsQuickly() {
        return resources -> resources.reconnectDelay(
                Delay.exponential(Duration.ofMillis(50), LONGEST_RECONNECT_DELAY, 2, TimeUnit.MILLISECONDS));
    }

    /**
     * A broker that accepts connections but never answers is bounded by {@code spring.rabbitmq.connection-timeout}
     * too, rather than by the client's own 10 s for the AMQP handshake.
     */
    @Bean
    ConnectionFactoryCustomizer brokerHandshakeAsShortAsTheConnection() {
        return broker -> broker.setHandshakeTimeout(broker.getConnectionTimeout());
    }

    @Bean
    FlywayConfigurationCustomizer migrationsOnAConnectionOfTheirOwn(DependencyProperties properties) {
        return flyway -> flyway.dataSource(
                MigrationDataSource.from(flyway.getDataSource(), properties.migrationStatementTimeout()));
    }
}
