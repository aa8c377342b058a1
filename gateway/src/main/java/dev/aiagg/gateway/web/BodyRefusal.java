package dev.aiagg.gateway.web;

/** Why a request body was refused before any handler saw it ({@link RequestBodyFilter}). */
public enum BodyRefusal {

    /** Larger than its path allows: 413. */
    TOO_LARGE(413),
    /** Did not arrive in time: 408. */
    TOO_SLOW(408),
    /** The bodies being received already hold all the memory they may: 503, retry shortly. */
    NO_ROOM(503);

    private final int status;

    BodyRefusal(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
