package dev.aiagg.axon.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;

/** What may pass on the next attempt is retried; what belongs to the event is dead-lettered. */
class FailuresTest {

    @Test
    void theSurroundingsFailingIsTransient() {
        assertThat(Failures.isTransient(sql("08006"))).as("connection lost").isTrue();
        assertThat(Failures.isTransient(sql("40001"))).as("serialization failure").isTrue();
        assertThat(Failures.isTransient(sql("40P01"))).as("deadlock").isTrue();
        assertThat(Failures.isTransient(sql("55P03"))).as("lock timeout").isTrue();
        assertThat(Failures.isTransient(sql("57014"))).as("statement timeout").isTrue();
        assertThat(Failures.isTransient(sql("57P01"))).as("administrator shutdown").isTrue();
        assertThat(Failures.isTransient(sql("53300"))).as("too many connections").isTrue();
        assertThat(Failures.isTransient(new UncategorizedSQLException("update", "update x", sql("08003"))))
                .as("wrapped by Spring").isTrue();
        assertThat(Failures.isTransient(new CannotAcquireLockException("lock"))).isTrue();
        assertThat(Failures.isTransient(new QueryTimeoutException("slow"))).isTrue();
        assertThat(Failures.isTransient(new CannotGetJdbcConnectionException("pool",
                new SQLTransientConnectionException("timed out")))).isTrue();
        assertThat(Failures.isTransient(new IllegalStateException("read", new SocketException("reset")))).isTrue();
        assertThat(Failures.isTransient(new UnableToClaimTokenException("claimed elsewhere"))).isTrue();
    }

    @Test
    void theEventFailingIsNot() {
        assertThat(Failures.isTransient(new DataIntegrityViolationException("NUL",
                sql("22021")))).as("invalid byte sequence (NUL in text)").isFalse();
        assertThat(Failures.isTransient(new DuplicateKeyException("dup", sql("23505")))).isFalse();
        assertThat(Failures.isTransient(sql("22001"))).as("value too long").isFalse();
        assertThat(Failures.isTransient(new NullPointerException("an account event without its company id")))
                .isFalse();
        assertThat(Failures.isTransient(new IllegalStateException("no cause"))).isFalse();
        assertThat(Failures.isTransient(null)).isFalse();
    }

    private static SQLException sql(String state) {
        return new SQLException("state " + state, state);
    }
}
