package dev.aiagg.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InMemoryKeyRateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:30Z"));
    private final InMemoryKeyRateLimiter limiter = new InMemoryKeyRateLimiter(clock);

    @Test
    void requestsPerMinuteAreCountedInTheCurrentMinute() {
        assertThat(limiter.admit("key-1", 2, null, 10).admitted()).isTrue();
        KeyRateLimiter.Admission second = limiter.admit("key-1", 2, null, 10);
        KeyRateLimiter.Admission third = limiter.admit("key-1", 2, null, 10);

        assertThat(second.admitted()).isTrue();
        assertThat(second.headers()).containsEntry("x-ratelimit-remaining-requests", "0")
                .containsEntry("x-ratelimit-limit-requests", "2")
                .containsEntry("x-ratelimit-reset-requests", "30s");
        assertThat(third.admitted()).isFalse();
        assertThat(third.reset()).isEqualTo(Duration.ofSeconds(30));
        assertThat(limiter.admit("key-2", 2, null, 10).admitted()).as("another key").isTrue();

        clock.now = Instant.parse("2026-11-26T10:01:00Z");
        assertThat(limiter.admit("key-1", 2, null, 10).admitted()).as("the next minute").isTrue();
    }

    @Test
    void tokensPerMinuteRefuseACallThatWouldNotFitAndCountNothingForIt() {
        assertThat(limiter.admit("key-1", null, 1_000, 600).admitted()).isTrue();
        KeyRateLimiter.Admission refused = limiter.admit("key-1", null, 1_000, 600);
        KeyRateLimiter.Admission small = limiter.admit("key-1", null, 1_000, 400);

        assertThat(refused.admitted()).isFalse();
        assertThat(small.admitted()).isTrue();
        assertThat(small.headers()).containsEntry("x-ratelimit-remaining-tokens", "0");
    }

    @Test
    void aCountTooLargeToAddIsRefusedAndLiftsNothing() {
        assertThat(limiter.admit("key-1", null, 1_000, 100).admitted()).isTrue();

        assertThat(limiter.admit("key-1", null, 1_000, Long.MAX_VALUE).admitted()).isFalse();
        assertThat(limiter.admit("key-1", null, 1_000, 9_200_000_000_000_000_000L).admitted()).isFalse();

        assertThat(limiter.admit("key-1", null, 1_000, 901).admitted()).isFalse();
        assertThat(limiter.admit("key-1", null, 1_000, 900).admitted()).isTrue();
    }

    @Test
    void aKeyWithoutLimitsIsAlwaysAdmittedAndGetsNoHeaders() {
        KeyRateLimiter.Admission admission = limiter.admit("key-1", null, null, 1_000_000);

        assertThat(admission.admitted()).isTrue();
        assertThat(admission.headers()).isEmpty();
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        private MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
