package dev.aiagg.gateway.llm;

import dev.aiagg.gateway.dependency.DependencyProperties;
import dev.aiagg.gateway.dependency.Unavailability;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The last checks before a call goes to the provider, and the 503 of a call that cannot be served now. A call whose
 * client has gone, or that waited past {@code aiagg.llm.admission-deadline} (behind a database that hung, say), is
 * not sent: it costs nothing and is not recorded, like a call refused by a rate limit. Each such call is counted in
 * {@code aiagg.llm.calls.unsent{reason}}, with those answered 503 because PostgreSQL was unavailable.
 */
@Component
class CallAdmission {

    private static final Logger log = LoggerFactory.getLogger(CallAdmission.class);

    private final long deadlineNanos;
    private final Duration retryAfter;
    private final Counter clientGone;
    private final Counter deadlinePassed;
    private final Counter unavailable;

    CallAdmission(LlmProperties properties, DependencyProperties dependencies, MeterRegistry meters) {
        this.deadlineNanos = properties.admissionDeadline().toNanos();
        this.retryAfter = dependencies.retryAfter();
        this.clientGone = unsent(meters, "client_gone");
        this.deadlinePassed = unsent(meters, "deadline");
        this.unavailable = unsent(meters, "unavailable");
    }

    /**
     * @param waitedNanos how long the call has been in the gateway, the arrival of its body not counted
     * @return false when the client has gone: nothing is to be sent or answered
     * @throws LlmException 503 when the deadline has passed
     */
    boolean mayCallProvider(HttpServletRequest request, long waitedNanos) {
        if (waitedNanos > deadlineNanos) {
            deadlinePassed.increment();
            log.debug("call not sent to the provider: it waited {} ms in the gateway", waitedNanos / 1_000_000);
            throw new LlmException(503, "server_error", "service_unavailable",
                    "The request could not be sent to the provider in time and was dropped; nothing was charged. "
                            + "Please retry.", retryAfter, Map.of());
        }
        if (ClientConnections.gone(request)) {
            clientGone.increment();
            log.debug("call not sent to the provider: its client has gone");
            return false;
        }
        return true;
    }

    /** 503 when the failure is a dependency that is down or too slow, else null. */
    LlmException unavailable(RuntimeException failure) {
        if (!Unavailability.isDependencyFailure(failure)) {
            return null;
        }
        unavailable.increment();
        log.debug("call answered 503, a dependency is unavailable: {}", failure.toString());
        return new LlmException(503, "server_error", "service_unavailable",
                "The service is temporarily unavailable; nothing was charged. Please retry later.", retryAfter,
                Map.of());
    }

    private static Counter unsent(MeterRegistry meters, String reason) {
        return Counter.builder("aiagg.llm.calls.unsent")
                .description("LLM calls not sent to the provider, by reason")
                .tag("reason", reason)
                .register(meters);
    }
}
