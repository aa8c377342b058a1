package dev.aiagg.axon.processing;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.axonframework.common.AxonTransientException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure of the surroundings (the database away, a lock or a timeout, a conflict with a concurrent
 * transaction), which the same event may well survive on the next attempt, from a failure of the event itself, which
 * it never will.
 */
final class Failures {

    /**
     * PostgreSQL's SQLSTATE classes of failures that pass: connection exception, transaction rollback (serialization
     * failure, deadlock), insufficient resources, operator intervention (statement timeout, shutdown), system error.
     */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57", "58");
    /** lock_not_available (lock timeout, NOWAIT) and read_only_sql_transaction (a fail-over in progress). */
    private static final Set<String> TRANSIENT_STATES = Set.of("55P03", "25006");
    private static final int MAX_DEPTH = 32;

    private Failures() {
    }

    static boolean isTransient(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof TransientDataAccessException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientException
                    || cause instanceof SQLRecoverableException
                    || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof AxonTransientException
                    || cause instanceof IOException) {
                return true;
            }
            if (cause instanceof SQLException sql && isTransientState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTransientState(String state) {
        return state != null && state.length() == 5
                && (TRANSIENT_CLASSES.contains(state.substring(0, 2)) || TRANSIENT_STATES.contains(state));
    }
}
