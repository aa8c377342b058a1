package dev.aiagg.command.account;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
        Set<Closed> pending = pending();
        if (pending != null && pending.contains(new Closed(accountId, requestId))) {
            return true;
        }
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists(select 1 from closed_reservation where account_id = ? and request_id = ?)",
                Boolean.class, accountId, requestId));
    }

    @Override
    public void close(String accountId, String requestId) {
        closeAll(accountId, List.of(requestId));
    }

    @Override
    public Set<String> closedAmong(String accountId, Collection<String> requestIds) {
        if (requestIds.isEmpty()) {
            return Set.of();
        }
        // One index look-up per id: "request_id = any(?)" reads every id of the account once its plan is generic.
        Set<String> closed = new HashSet<>(jdbc.queryForList("""
                select c.request_id from unnest(?::text[]) as r (request_id)
                join closed_reservation c on c.account_id = ? and c.request_id = r.request_id
                """, String.class, requestIds.toArray(String[]::new), accountId));
        Set<Closed> pending = pending();
        if (pending != null) {
            requestIds.stream().filter(id -> pending.contains(new Closed(accountId, id))).forEach(closed::add);
        }
        return closed;
    }

    @Override
    public void closeAll(String accountId, Collection<String> requestIds) {
        if (requestIds.isEmpty()) {
            return;
        }
        if (!CurrentUnitOfWork.isStarted()) {
            insert(requestIds.stream().map(id -> new Closed(accountId, id)).toList());
            return;
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        Set<Closed> pending = root.getOrComputeResource(PENDING, key -> {
            Set<Closed> created = new LinkedHashSet<>();
            root.onPrepareCommit(unitOfWork -> insert(created));
            return created;
        });
        requestIds.forEach(id -> pending.add(new Closed(accountId, id)));
    }

    private static Set<Closed> pending() {
        return CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().root().getResource(PENDING) : null;
    }

    private void insert(Collection<Closed> closed) {
        if (closed.isEmpty()) {
            return;
        }
        List<String> accounts = new ArrayList<>(closed.size());
        List<String> requests = new ArrayList<>(closed.size());
        closed.forEach(c -> {
            accounts.add(c.accountId());
            requests.add(c.requestId());
        });
        jdbc.update("""
                insert into closed_reservation (account_id, request_id)
                select * from unnest(?::text[], ?::text[]) on conflict do nothing
                """, accounts.toArray(String[]::new), requests.toArray(String[]::new));
    }

    private record Closed(String accountId, String requestId) {
    }
}
