package dev.aiagg.gateway.billing;

import dev.aiagg.proxy.ProxyProperties;
import java.time.Duration;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Refuses to start when a call could outlive the hold that pays for it: the longest call
 * ({@code aiagg.proxy.max-call-duration}) must leave at least two leases ({@code aiagg.llm.hold-lease}) below a
 * hold's lifetime ({@code aiagg.llm.hold-max-lifetime}): one in which a hold still takes new calls, one in which the
 * last of them is charged and the hold released.
 */
@Component
class CallDurationCheck implements InitializingBean {

    private final BillingProperties billing;
    private final ProxyProperties proxy;

    CallDurationCheck(BillingProperties billing, ProxyProperties proxy) {
        this.billing = billing;
        this.proxy = proxy;
    }

    @Override
    public void afterPropertiesSet() {
        Duration needed = proxy.maxCallDuration().plus(billing.holdLease().multipliedBy(2));
        if (needed.compareTo(billing.holdMaxLifetime()) > 0) {
            throw new IllegalStateException("aiagg.proxy.max-call-duration (" + proxy.maxCallDuration()
                    + ") must stay two hold leases (aiagg.llm.hold-lease, " + billing.holdLease()
                    + ") below aiagg.llm.hold-max-lifetime (" + billing.holdMaxLifetime()
                    + "), so that no call outlives the hold that pays for it");
        }
    }
}
