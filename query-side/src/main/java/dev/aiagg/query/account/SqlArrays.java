package dev.aiagg.query.account;

import org.springframework.jdbc.support.SqlArrayValue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;

/** Columns of many rows as PostgreSQL arrays, so one {@code unnest(...)} statement writes them all. */
final class SqlArrays {

    private SqlArrays() {
    }

    static <R> SqlArrayValue texts(List<R> rows, Function<R, String> column) {
        return new SqlArrayValue("text", rows.stream().map(column).toArray());
    }

    static <R> SqlArrayValue bigints(List<R> rows, Function<R, Long> column) {
        return new SqlArrayValue("bigint", rows.stream().map(column).toArray());
    }

    static <R> SqlArrayValue timestamps(List<R> rows, Function<R, Instant> column) {
        return new SqlArrayValue("timestamptz", rows.stream().map(column).map(SqlArrays::microseconds).toArray());
    }

    /** PostgreSQL keeps microseconds; rounded half up, as the JDBC driver rounds a single bound timestamp. */
    private static String microseconds(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).plusNanos((at.getNano() + 500L) / 1_000 * 1_000).toString();
    }
}
