package dev.aiagg.gateway.dependency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.datasource.AbstractDataSource;

class DependencyCircuitsTest {

    private static final DependencyProperties.Breaker QUICK = new DependencyProperties.Breaker(50, 4, 4,
            Duration.ofMillis(200), 1);

    private final DependencyCircuits circuits = new DependencyCircuits(
            new DependencyProperties(Duration.ofSeconds(5), Duration.ofMinutes(30), QUICK, QUICK));

    @Test
    void redisFailuresFallBackAndOnceTheCircuitIsOpenRedisIsNotAskedUntilItMayBeBack() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            assertThat(circuits.withRedis(() -> {
                asked.incrementAndGet();
                throw new QueryTimeoutException("Redis command timed out");
            }, () -> "memory")).isEqualTo("memory");
        }
        assertThat(circuits.withRedis(() -> "redis" + asked.incrementAndGet(), () -> "memory")).isEqualTo("memory");
        assertThat(asked).hasValue(4);

        Thread.sleep(250);
        assertThat(circuits.withRedis(() -> "redis", () -> "memory")).as("a probe, and it answers").isEqualTo("redis");
        assertThat(circuits.withRedis(() -> "redis", () -> "memory")).isEqualTo("redis");
    }

    @Test
    void aFailureThatIsNotRedissOwnIsABugAndPropagates() {
        assertThatThrownBy(() -> circuits.withRedis(() -> {
            throw new IllegalStateException("bug");
        }, () -> "memory")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onceThePoolHasFailedEnoughAConnectionIsRefusedWithoutAskingIt() {
        AtomicInteger asked = new AtomicInteger();
        DataSource pool = new AbstractDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                asked.incrementAndGet();
                throw new SQLTransientConnectionException("Connection is not available, request timed out");
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return getConnection();
            }
        };
        CircuitBreakingDataSource guarded = new CircuitBreakingDataSource(pool, circuits.database());
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(guarded::getConnection).hasMessageContaining("request timed out");
        }
        assertThatThrownBy(guarded::getConnection)
                .isInstanceOf(SQLTransientConnectionException.class)
                .hasMessageContaining("circuit is open")
                .satisfies(refused -> {
                    assertThat(((SQLException) refused).getSQLState()).isEqualTo("08001");
                    assertThat(Unavailability.isDependencyFailure(refused)).isTrue();
                });
        assertThat(asked).hasValue(4);
    }
}
