package dev.aiagg.command.account;

import java.util.Collection;
import java.util.Set;

/**
 * Request ids whose hold was settled, released or expired, or whose call was charged against a hold. They make
 * repeated commands for a finished request harmless, and live outside the aggregate because they grow with every
 * request the account serves.
 */
interface ClosedReservations {

    boolean isClosed(String accountId, String requestId);

    void close(String accountId, String requestId);

    /** Those of the request ids that are closed: one look-up for a batch of charges. */
    Set<String> closedAmong(String accountId, Collection<String> requestIds);

    void closeAll(String accountId, Collection<String> requestIds);
}
