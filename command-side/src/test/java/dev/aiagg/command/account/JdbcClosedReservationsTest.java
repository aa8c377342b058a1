package dev.aiagg.command.account;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the local PostgreSQL, in database {@code aiagg_command}, with the module's own migration. */
class JdbcClosedReservationsTest {

    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String DATABASE = "aiagg_command";

    private static JdbcTemplate jdbc;
    private static JdbcClosedReservations closedReservations;

    @BeforeAll
    static void cleanDatabase() throws Exception {
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement statement = admin.createStatement();
             ResultSet exists = statement.executeQuery(
                     "select 1 from pg_database where datname = '" + DATABASE + "'")) {
            if (!exists.next()) {
                statement.execute("create database " + DATABASE);
            }
        }
        DriverManagerDataSource dataSource = new DriverManagerDataSource(SERVER + DATABASE, "postgres", "");
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("drop schema public cascade");
        jdbc.execute("create schema public");
        new ResourceDatabasePopulator(new ClassPathResource("db/migration/V2_1__closed_reservation.sql"),
                new ClassPathResource("db/migration/V2_2__closed_reservation_cost.sql")).execute(dataSource);
        closedReservations = new JdbcClosedReservations(jdbc);
    }

    @Test
    void aRequestIsOpenUntilClosed() {
        assertThat(closedReservations.isClosed("acct_a", "req-open")).isFalse();

        closedReservations.close("acct_a", "req-open");

        assertThat(closedReservations.isClosed("acct_a", "req-open")).isTrue();
    }

    @Test
    void closingTwiceIsHarmless() {
        closedReservations.close("acct_a", "req-twice");
        closedReservations.close("acct_a", "req-twice");

        assertThat(closedReservations.isClosed("acct_a", "req-twice")).isTrue();
    }

    @Test
    void requestIdsBelongToTheirAccount() {
        closedReservations.close("acct_a", "req-shared");

        assertThat(closedReservations.isClosed("acct_b", "req-shared")).isFalse();
    }

    @Test
    void aBatchIsLookedUpAndClosedAtOnceWithTheCostsOfItsCharges() {
        closedReservations.close("acct_c", "req-1");

        assertThat(closedReservations.closedAmong("acct_c", List.of("req-1", "req-2", "req-3")))
                .containsOnlyKeys("req-1").containsEntry("req-1", null);
        closedReservations.closeCharged("acct_c", Map.of("req-1", 5L, "req-2", 7L));

        assertThat(closedReservations.closedAmong("acct_c", List.of("req-1", "req-2", "req-3")))
                .as("closed before as a hold, req-1 keeps no cost").containsOnlyKeys("req-1", "req-2")
                .containsEntry("req-1", null).containsEntry("req-2", 7L);
        assertThat(closedReservations.closedAmong("acct_c", List.of())).isEmpty();
    }

    @Test
    void insideAUnitOfWorkTheClosedRequestsAreWrittenTogetherWhenItCommits() {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("close"));
        closedReservations.close("acct_d", "req-1");
        closedReservations.closeCharged("acct_d", Map.of("req-2", 2L, "req-3", 3L));

        assertThat(closedReservations.isClosed("acct_d", "req-1")).isTrue();
        assertThat(closedReservations.closedAmong("acct_d", List.of("req-2", "req-4")))
                .containsOnlyKeys("req-2").containsEntry("req-2", 2L);
        assertThat(rowsOf("acct_d")).isZero();

        unitOfWork.commit();

        assertThat(rowsOf("acct_d")).isEqualTo(3);
        assertThat(closedReservations.isClosed("acct_d", "req-3")).isTrue();
        assertThat(closedReservations.closedAmong("acct_d", List.of("req-1", "req-3")))
                .containsEntry("req-1", null).containsEntry("req-3", 3L);
    }

    @Test
    void aUnitOfWorkRolledBackClosesNothing() {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage("close"));
        closedReservations.close("acct_e", "req-1");

        unitOfWork.rollback();

        assertThat(rowsOf("acct_e")).isZero();
        assertThat(closedReservations.isClosed("acct_e", "req-1")).isFalse();
    }

    private static int rowsOf(String accountId) {
        return jdbc.queryForObject("select count(*) from closed_reservation where account_id = ?", Integer.class,
                accountId);
    }
}
