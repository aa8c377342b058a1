package dev.aiagg.gateway.billing;

import dev.aiagg.proxy.ProxyProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The billing engine on the command bus, its own two timer threads and the system clock. */
@Configuration(proxyBeanMethods = false)
class BillingConfiguration {

    @Bean
    Ledger ledger(CommandGateway commands) {
        return new AxonLedger(commands);
    }

    @Bean
    CallHolds callHolds(Ledger ledger, ChargeDeadLetters deadLetters, BillingProperties properties,
                        ProxyProperties proxy, MeterRegistry registry) {
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2, task -> {
            Thread thread = new Thread(task, "llm-charges-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        CallHolds holds = new CallHolds(ledger, deadLetters, properties, proxy.maxCallDuration(), Clock.systemUTC(),
                timer);
        Gauge.builder("aiagg.billing.charges.undelivered", holds, CallHolds::undeliveredCharges)
                .description("charges of ended calls the ledger has not stored yet")
                .register(registry);
        return holds;
    }
}
