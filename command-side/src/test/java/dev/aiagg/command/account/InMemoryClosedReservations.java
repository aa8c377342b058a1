package dev.aiagg.command.account;

import java.util.HashSet;
import java.util.Set;

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
}
