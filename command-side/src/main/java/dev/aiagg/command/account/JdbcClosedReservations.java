package dev.aiagg.command.account;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

@Component
class JdbcClosedReservations implements ClosedReservations {

    private final JdbcTemplate jdbc;

    JdbcClosedReservations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean isClosed(String accountId, String requestId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists(select 1 from closed_reservation where account_id = ? and request_id = ?)",
                Boolean.class, accountId, requestId));
    }

    @Override
    public void close(String accountId, String requestId) {
        jdbc.update("insert into closed_reservation (account_id, request_id) values (?, ?) on conflict do nothing",
                accountId, requestId);
    }

    @Override
    public Set<String> closedAmong(String accountId, Collection<String> requestIds) {
        if (requestIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.queryForList(
                "select request_id from closed_reservation where account_id = ? and request_id = any(?)",
                String.class, accountId, requestIds.toArray(String[]::new)));
    }

    @Override
    public void closeAll(String accountId, Collection<String> requestIds) {
        if (!requestIds.isEmpty()) {
            jdbc.update("insert into closed_reservation (account_id, request_id) select ?, unnest(?) "
                    + "on conflict do nothing", accountId, requestIds.toArray(String[]::new));
        }
    }
}
