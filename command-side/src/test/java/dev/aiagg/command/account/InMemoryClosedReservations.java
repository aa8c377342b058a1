package dev.aiagg.command.account;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

class InMemoryClosedReservations implements ClosedReservations {

    private final Map<String, Long> closed = new HashMap<>();

    @Override
    public boolean isClosed(String accountId, String requestId) {
        return closed.containsKey(accountId + "/" + requestId);
    }

    @Override
    public void close(String accountId, String requestId) {
        closeCharged(accountId, Collections.singletonMap(requestId, null));
    }

    @Override
    public Map<String, Long> closedAmong(String accountId, Collection<String> requestIds) {
        Map<String, Long> among = new HashMap<>();
        requestIds.stream().filter(id -> isClosed(accountId, id))
                .forEach(id -> among.put(id, closed.get(accountId + "/" + id)));
        return among;
    }

    @Override
    public void closeCharged(String accountId, Map<String, Long> costByRequest) {
        costByRequest.forEach((id, cost) -> closed.putIfAbsent(accountId + "/" + id, cost));
    }
}
