package dev.aiagg.gateway.dependency;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

class UnavailabilityTest {

    @Test
    void aDependencyThatIsDownOrTooSlowIsFoundUnderEveryWrapper() {
        SQLTransientConnectionException poolTimedOut =
                new SQLTransientConnectionException("Connection is not available, request timed out after 2000ms");
        assertThat(Unavailability.isDependencyFailure(new CompletionException(
                new CannotCreateTransactionException("Could not open JDBC Connection", poolTimedOut)))).isTrue();
        assertThat(Unavailability.isDependencyFailure(new CommandExecutionException("failed",
                new JdbcException("insert failed", new SQLException("I/O error", "08006"))))).isTrue();
        assertThat(Unavailability.isDependencyFailure(
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection"))).isTrue();
        assertThat(Unavailability.isDependencyFailure(new SQLException("canceling statement due to statement timeout",
                "57014"))).isTrue();
        assertThat(Unavailability.isDependencyFailure(new SQLException("terminating connection due to "
                + "administrator command", "57P01"))).isTrue();
        assertThat(Unavailability.isDependencyFailure(
                new RedisConnectionFailureException("Redis connection failed"))).isTrue();
        assertThat(Unavailability.isDependencyFailure(new QueryTimeoutException("Redis command timed out",
                new RedisCommandTimeoutException("Command timed out after 500 millisecond(s)")))).isTrue();
    }

    @Test
    void everythingElseIsNot() {
        assertThat(Unavailability.isDependencyFailure(new DuplicateKeyException("duplicate"))).isFalse();
        assertThat(Unavailability.isDependencyFailure(new SQLException("unique violation", "23505"))).isFalse();
        assertThat(Unavailability.isDependencyFailure(new CompletionException(
                new ConcurrencyException("a concurrent change got there first")))).isFalse();
        assertThat(Unavailability.isDependencyFailure(new IllegalArgumentException("bad input"))).isFalse();
        assertThat(Unavailability.isDependencyFailure(new IllegalStateException("bug", null))).isFalse();
    }

    @Test
    void aCauseChainThatLoopsEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);
        assertThat(Unavailability.isDependencyFailure(second)).isFalse();
    }
}
