package dev.aiagg.query;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real PostgreSQL database the projections are tested against: created when missing, its schema dropped and
 * migrated once per test run.
 */
public final class QueryDatabase {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String NAME = "aiagg_query_test";
    private static final String USER = "postgres";

    private QueryDatabase() {
    }

    public static NamedParameterJdbcTemplate jdbc() {
        return Holder.JDBC;
    }

    /** Every row of a table in a comparable form (arrays as lists), to prove a rebuild identical. */
    public static List<Map<String, Object>> rows(String table, String orderBy) {
        return jdbc().query("select * from " + table + " order by " + orderBy, (ResultSet rs, int row) -> {
            Map<String, Object> values = new LinkedHashMap<>();
            for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                Object value = rs.getObject(column);
                values.put(rs.getMetaData().getColumnName(column),
                        value instanceof Array array ? Arrays.asList((Object[]) array.getArray()) : value);
            }
            return values;
        });
    }

    private static final class Holder {
        static final NamedParameterJdbcTemplate JDBC = new NamedParameterJdbcTemplate(
                new SingleConnectionDataSource(prepare(), USER, "", true));
    }

    private static String prepare() {
        String url = SERVER + NAME;
        try {
            try (Connection admin = DriverManager.getConnection(SERVER + "postgres", USER, "");
                 Statement statement = admin.createStatement()) {
                ResultSet exists = statement.executeQuery(
                        "select 1 from pg_database where datname = '" + NAME + "'");
                if (!exists.next()) {
                    statement.execute("create database " + NAME);
                }
            }
            try (Connection connection = DriverManager.getConnection(url, USER, "");
                 Statement statement = connection.createStatement()) {
                statement.execute("drop schema if exists public cascade");
                statement.execute("create schema public");
            }
            Flyway.configure().dataSource(new DriverManagerDataSource(url, USER, ""))
                    .locations("classpath:db/migration").load().migrate();
            return url;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the test database " + NAME, e);
        }
    }
}
