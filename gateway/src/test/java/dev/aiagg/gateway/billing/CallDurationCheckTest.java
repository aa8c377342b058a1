package dev.aiagg.gateway.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiagg.proxy.ProxyProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The call limit and the hold's lifetime, read together at start-up. */
class CallDurationCheckTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({BillingProperties.class, ProxyProperties.class})
    @Import(CallDurationCheck.class)
    static class Settings {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void theDefaultsLeaveACallTwoLeasesBelowTheHoldsLifetime() {
        context.run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void aCallLimitThatLeavesNoMarginBelowTheHoldsLifetimeStopsTheStart() {
        context.withPropertyValues("aiagg.proxy.max-call-duration=15m")
                .run(started -> assertThat(started).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("aiagg.proxy.max-call-duration (PT15M) must stay two hold leases"));
        context.withPropertyValues("aiagg.proxy.max-call-duration=5m", "aiagg.llm.hold-lease=1m",
                        "aiagg.llm.hold-max-lifetime=6m59s")
                .run(started -> assertThat(started).hasFailed());
    }

    @Test
    void aShorterCallLimitOrALongerLifetimeStarts() {
        context.withPropertyValues("aiagg.proxy.max-call-duration=5m", "aiagg.llm.hold-lease=1m",
                        "aiagg.llm.hold-max-lifetime=7m")
                .run(started -> assertThat(started).hasNotFailed());
    }
}
