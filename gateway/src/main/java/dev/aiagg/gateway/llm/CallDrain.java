package dev.aiagg.gateway.llm;

import dev.aiagg.gateway.billing.Billing;
import dev.aiagg.proxy.LlmProxy;
import dev.aiagg.proxy.ProviderException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

/**
 * How a node stops serving the LLM API. As soon as shutdown begins, new calls are answered 503 with
 * {@code Retry-After} in the caller's format (the web server still accepts them, so no connection is reset). The
 * calls in flight may finish for {@code aiagg.llm.shutdown-grace}; those still running then are ended, a stream with
 * an error event in its client's dialect, and charged for what they generated. Only then does the web server stop,
 * and after it the billing engine, which sends the last charges and releases the holds while the ledger still runs.
 */
@Component
class CallDrain implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {

    private static final Logger log = LoggerFactory.getLogger(CallDrain.class);
    /** How long the calls that were ended may take to write their last event and be charged. */
    private static final Duration ENDING = Duration.ofSeconds(5);

    private final ApplicationContext context;
    private final Billing billing;
    private final LlmProxy proxy;
    private final LlmProperties properties;
    private volatile boolean running;

    CallDrain(ApplicationContext context, Billing billing, LlmProxy proxy, LlmProperties properties) {
        this.context = context;
        this.billing = billing;
        this.proxy = proxy;
        this.properties = properties;
    }

    /** The first thing a closing context does, before any bean stops. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() == context) {
            billing.stopAdmitting();
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        billing.stopAdmitting();
        long graceEnds = System.nanoTime() + properties.shutdownGrace().toNanos();
        while (billing.callsInFlight() > 0 && System.nanoTime() - graceEnds < 0 && paused()) {
            // The calls in flight finish on their own.
        }
        int left = billing.callsInFlight();
        if (left > 0) {
            log.info("{} calls still running after the shutdown grace of {}; ending them", left,
                    properties.shutdownGrace());
            long endingEnds = System.nanoTime() + ENDING.toNanos();
            // Again and again: a call that was covered just before shutdown may reach its provider only now.
            do {
                proxy.endCalls(new ProviderException(503, "server_error",
                        "The server is shutting down; the answer was cut short. Please retry.",
                        Duration.ofSeconds(1)));
            } while (billing.callsInFlight() > 0 && System.nanoTime() - endingEnds < 0 && paused());
        }
        running = false;
    }

    /** @return false when interrupted: shutdown is being forced, stop waiting */
    private static boolean paused() {
        try {
            Thread.sleep(20);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server does, while callers can still be answered. */
    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 512;
    }
}
