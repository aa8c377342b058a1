package dev.aiagg.axon;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Gives the tests an empty {@code aiagg_axon_test} database, once per JVM, before the Spring context starts. */
final class TestDatabase {

    static final String NAME = "aiagg_axon_test";

    private TestDatabase() {
    }

    static void recreate() {
        try (Connection connection = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + NAME + " with (force)");
            statement.execute("create database " + NAME);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the test database " + NAME, e);
        }
    }
}
