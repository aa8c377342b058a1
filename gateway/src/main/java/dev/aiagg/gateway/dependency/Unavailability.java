package dev.aiagg.gateway.dependency;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;

/**
 * Tells a dependency that is down or too slow (answered with 503 and {@code Retry-After}) from everything else. The
 * failure may come wrapped once or many times over: by Spring's translation, by Axon's command and query buses and
 * its JDBC components, by {@code CompletableFuture}s; every cause is looked at.
 */
public final class Unavailability {

    private static final int MAX_DEPTH = 32;
    /** PostgreSQL: operator intervention (shutdown, crash recovery, not accepting connections). */
    private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");
    /** PostgreSQL: a statement cancelled by {@code statement_timeout}; too many connections. */
    private static final Set<String> OVERLOADED = Set.of("57014", "53300");

    private Unavailability() {
    }

    public static boolean isDependencyFailure(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (isUnavailable(cause)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnavailable(Throwable cause) {
        if (cause instanceof DataAccessResourceFailureException  // no connection: JDBC, Redis
                || cause instanceof QueryTimeoutException         // a Redis command or a query timed out
                || cause instanceof TransientDataAccessResourceException
                || cause instanceof SQLTransientConnectionException
                || cause instanceof SQLRecoverableException
                || cause instanceof SQLTimeoutException
                || cause instanceof RedisConnectionException
                || cause instanceof RedisCommandTimeoutException) {
            return true;
        }
        if (cause instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            return state.startsWith("08") || SERVER_GOING_AWAY.contains(state) || OVERLOADED.contains(state);
        }
        return false;
    }
}
