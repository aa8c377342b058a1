package dev.aiagg.gateway.dependency;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Flyway's connections: the pool's database, user and driver settings, but a statement timeout of their own (a
 * migration may rightly build an index for minutes, where the pool cuts any statement after a few seconds) and no
 * socket timeout (a silent connection is a long statement, not a dead server). Opened for the migrations and closed
 * after them, outside the pool and its circuit breaker.
 */
final class MigrationDataSource {

    private MigrationDataSource() {
    }

    static DataSource from(DataSource pool, Duration statementTimeout) {
        HikariDataSource hikari;
        try {
            if (pool == null || !pool.isWrapperFor(HikariDataSource.class)) {
                return pool;
            }
            hikari = pool.unwrap(HikariDataSource.class);
        } catch (SQLException notAWrapper) {
            return pool;
        }
        if (hikari.getJdbcUrl() == null) {
            return pool;
        }
        Properties settings = new Properties();
        settings.putAll(hikari.getDataSourceProperties());
        if (hikari.getUsername() != null) {
            settings.setProperty("user", hikari.getUsername());
        }
        if (hikari.getPassword() != null) {
            settings.setProperty("password", hikari.getPassword());
        }
        String options = settings.getProperty("options");
        // PostgreSQL applies the startup options in order: this statement timeout wins over the pool's.
        settings.setProperty("options", (options == null ? "" : options + " ")
                + "-c statement_timeout=" + statementTimeout.toMillis());
        settings.setProperty("socketTimeout", "0");
        try {
            return new SimpleDriverDataSource(DriverManager.getDriver(hikari.getJdbcUrl()), hikari.getJdbcUrl(),
                    settings);
        } catch (SQLException noDriver) {
            throw new IllegalStateException("no JDBC driver for " + hikari.getJdbcUrl(), noDriver);
        }
    }
}
