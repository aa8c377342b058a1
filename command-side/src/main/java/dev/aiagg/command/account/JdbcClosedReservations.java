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
        // One index look-up per id: "request_id = any(?)" reads every id of the account once its plan is generic.
        return new HashSet<>(jdbc.queryForList("""
                select c.request_id from unnest(?::text[]) as r (request_id)
                join closed_reservation c on c.account_id = ? and c.request_id = r.request_id
                """, String.class, requestIds.toArray(String[]::new), accountId));
    }

    @Override
    public void closeAll(String accountId, Collection<String> requestIds) {
        if (!requestIds.isEmpty()) {
            jdbc.update("insert into closed_reservation (account_id, request_id) select ?, unnest(?::text[]) "
                    + "on conflict do nothing", accountId, requestIds.toArray(String[]::new));
        }
    }
}
