package dev.aiagg.command.account;

import java.util.Collection;
import java.util.Map;

/**
 * Request ids whose hold was settled, released or expired, or whose call was charged against a hold (with the cost
 * it was charged). They make repeated commands for a finished request harmless, and live outside the aggregate
 * because they grow with every request the account serves.
 */
interface ClosedReservations {

    boolean isClosed(String accountId, String requestId);

    void close(String accountId, String requestId);

    /**
     * Those of the request ids that are closed, one look-up for a batch of charges: each with the cost its call was
     * charged, or null when it was closed otherwise (a hold) or before costs were kept.
     */
    Map<String, Long> closedAmong(String accountId, Collection<String> requestIds);

    /** Closes the requests of calls charged against a hold, each with its cost. */
    void closeCharged(String accountId, Map<String, Long> costByRequest);
}
