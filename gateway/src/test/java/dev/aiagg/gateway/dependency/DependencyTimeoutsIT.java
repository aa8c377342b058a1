package dev.aiagg.gateway.dependency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.aiagg.gateway.IntegrationTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/** Every dependency has a short timeout; migrations have a long one of their own. */
class DependencyTimeoutsIT extends IntegrationTest {

    @Autowired
    private DataSource dataSource;
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private Flyway flyway;
    @Autowired
    private LettuceConnectionFactory redis;
    @Autowired
    private CachingConnectionFactory rabbit;

    @Test
    @Timeout(30)
    void aStatementIsCutAfterFiveSecondsAndTheConnectionStaysUsable() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> jdbc.execute("select pg_sleep(30)"))
                .satisfies(cut -> assertThat(Unavailability.isDependencyFailure(cut)).isTrue());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(4),
                Duration.ofSeconds(6));
        assertThat(jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
    }

    @Test
    void migrationsRunOnAConnectionOfTheirOwnWithALongStatementTimeout() throws SQLException {
        assertThat(setting(dataSource, "statement_timeout")).isEqualTo("5s");
        DataSource migrations = flyway.getConfiguration().getDataSource();
        assertThat(migrations.isWrapperFor(HikariDataSource.class)).isFalse();
        assertThat(setting(migrations, "statement_timeout")).isEqualTo("30min");
    }

    @Test
    void redisAndTheBrokerHaveShortTimeouts() {
        assertThat(redis.getClientConfiguration().getCommandTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(rabbit.getRabbitConnectionFactory().getConnectionTimeout()).isEqualTo(2_000);
        assertThat(rabbit.getRabbitConnectionFactory().getHandshakeTimeout()).isEqualTo(2_000);
        assertThat(rabbit.getRabbitConnectionFactory().getChannelRpcTimeout()).isEqualTo(5_000);
    }

    private static String setting(DataSource source, String name) throws SQLException {
        try (Connection connection = source.getConnection();
             Statement statement = connection.createStatement();
             ResultSet value = statement.executeQuery("show " + name)) {
            value.next();
            return value.getString(1);
        }
    }
}
