package dev.aiagg.command.account;

/**
 * Request ids whose hold was settled, released or expired. They make repeated commands for a finished request
 * harmless, and live outside the aggregate because they grow with every request the account serves.
 */
interface ClosedReservations {

    boolean isClosed(String accountId, String requestId);

    void close(String accountId, String requestId);
}
