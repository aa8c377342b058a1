package dev.aiagg.axon.correlation;

import java.util.List;

/** Keys shared by the SLF4J MDC and message metadata, so every log line and every message carries them. */
public final class CorrelationKeys {

    public static final String CORRELATION_ID = "correlationId";
    public static final String ACTOR = "actor";
    public static final String COMPANY_ID = "companyId";

    static final List<String> ALL = List.of(CORRELATION_ID, ACTOR, COMPANY_ID);

    private CorrelationKeys() {
    }
}
