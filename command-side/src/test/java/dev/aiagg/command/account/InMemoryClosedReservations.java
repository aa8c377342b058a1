package dev.aiagg.command.account;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

class InMemoryClosedReservations implements ClosedReservations {

    private final Set<String> closed = new HashSet<>();

    @Override
    public boolean isClosed(String accountId, String requestId) {
        return closed.contains(accountId + "/" + requestId);
    }

    @Override
    public void close(String accountId, String requestId) {
        closed.add(accountId + "/" + requestId);
    }

    @Override
    public Set<String> closedAmong(String accountId, Collection<String> requestIds) {
        return requestIds.stream().filter(id -> isClosed(accountId, id)).collect(Collectors.toSet());
    }

    @Override
    public void closeAll(String accountId, Collection<String> requestIds) {
        requestIds.forEach(id -> close(accountId, id));
    }
}
