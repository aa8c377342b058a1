package dev.aiagg.gateway.dependency;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The application's connection pool behind PostgreSQL's circuit breaker. A pool that cannot hand out a working
 * connection within {@code spring.datasource.hikari.connection-timeout} counts as a failure; once the circuit is
 * open, asking for a connection fails at once (SQLState 08001), so requests answer 503 without waiting and health
 * checks report the database down without waiting either.
 */
final class CircuitBreakingDataSource extends DelegatingDataSource implements AutoCloseable {

    /** The SQLState of "unable to establish a connection". */
    static final String CANNOT_CONNECT = "08001";

    private final CircuitBreaker circuit;

    CircuitBreakingDataSource(DataSource pool, CircuitBreaker circuit) {
        super(pool);
        this.circuit = circuit;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return guarded(() -> obtainTargetDataSource().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return guarded(() -> obtainTargetDataSource().getConnection(username, password));
    }

    private interface ConnectionSupplier {
        Connection get() throws SQLException;
    }

    private Connection guarded(ConnectionSupplier pool) throws SQLException {
        if (!circuit.tryAcquirePermission()) {
            throw new SQLTransientConnectionException("PostgreSQL is unavailable (its circuit is open)",
                    CANNOT_CONNECT);
        }
        long start = System.nanoTime();
        try {
            Connection connection = pool.get();
            circuit.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return connection;
        } catch (SQLException failed) {
            circuit.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failed);
            throw failed;
        } catch (RuntimeException unexpected) {
            circuit.releasePermission();
            throw unexpected;
        }
    }

    /** Closes the pool with the context, as the pool's own bean would have been. */
    @Override
    public void close() throws Exception {
        if (obtainTargetDataSource() instanceof AutoCloseable pool) {
            pool.close();
        }
    }
}
