package dev.aiagg.command.account;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Inside a unit of work, the requests closed by its commands are written together just before it commits, in the
 * same transaction as their events: the command bus commits many commands at once, and one insert for all of them
 * spares its single thread a database round trip per command. Until then they are answered from memory.
 */
@Component
class JdbcClosedReservations implements ClosedReservations {

    private static final String PENDING = JdbcClosedReservations.class.getName() + ".pending";

    private final JdbcTemplate jdbc;

    JdbcClosedReservations(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean isClosed(String accountId, String requestId) {
        Map<Closed, Long> pending = pending();
        if (pending != null && pending.containsKey(new Closed(accountId, requestId))) {
            return true;
        }
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists(select 1 from closed_reservation where account_id = ? and request_id = ?)",
                Boolean.class, accountId, requestId));
    }

    @Override
    public void close(String accountId, String requestId) {
        closeCharged(accountId, Collections.singletonMap(requestId, null));
    }

    @Override
    public Map<String, Long> closedAmong(String accountId, Collection<String> requestIds) {
        if (requestIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> closed = new HashMap<>();
        // One index look-up per id: "request_id = any(?)" reads every id of the account once its plan is generic.
        jdbc.query("""
                select c.request_id, c.cost_micros from unnest(?::text[]) as r (request_id)
                join closed_reservation c on c.account_id = ? and c.request_id = r.request_id
                """, row -> {
            String requestId = row.getString(1);
            long cost = row.getLong(2);
            closed.put(requestId, row.wasNull() ? null : cost);
        }, requestIds.toArray(String[]::new), accountId);
        Map<Closed, Long> pending = pending();
        if (pending != null) {
            for (String id : requestIds) {
                Closed key = new Closed(accountId, id);
                if (pending.containsKey(key)) {
                    closed.put(id, pending.get(key));
                }
            }
        }
        return closed;
    }

    @Override
    public void closeCharged(String accountId, Map<String, Long> costByRequest) {
        if (costByRequest.isEmpty()) {
            return;
        }
        Map<Closed, Long> closing = new LinkedHashMap<>();
        costByRequest.forEach((id, cost) -> closing.put(new Closed(accountId, id), cost));
        if (!CurrentUnitOfWork.isStarted()) {
            insert(closing);
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        Map<Closed, Long> pending = root.getOrComputeResource(PENDING, key -> {
            Map<Closed, Long> created = new LinkedHashMap<>();
            root.onPrepareCommit(unitOfWork -> insert(created));
            return created;
        });
        pending.putAll(closing);
    }

    private static Map<Closed, Long> pending() {
        return CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().root().getResource(PENDING) : null;
    }

    private void insert(Map<Closed, Long> closed) {
        if (closed.isEmpty()) {
            return;
        }
        List<String> accounts = new ArrayList<>(closed.size());
        List<String> requests = new ArrayList<>(closed.size());
        List<Long> costs = new ArrayList<>(closed.size());
        closed.forEach((c, cost) -> {
            accounts.add(c.accountId());
            requests.add(c.requestId());
            costs.add(cost);
        });
        jdbc.update("""
                insert into closed_reservation (account_id, request_id, cost_micros)
                select * from unnest(?::text[], ?::text[], ?::bigint[]) on conflict do nothing
                """, accounts.toArray(String[]::new), requests.toArray(String[]::new), costs.toArray(Long[]::new));
    }

    private record Closed(String accountId, String requestId) {
    }
}
