package dev.aiagg.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShortLivedCacheTest {

    @Test
    void anAnswerIsReusedForItsLifetimeAndThenLoadedAgain() throws Exception {
        ShortLivedCache<String, Integer> cache = new ShortLivedCache<>(Duration.ofMillis(500));
        AtomicInteger loads = new AtomicInteger();

        assertThat(cache.get("k", k -> loads.incrementAndGet())).isEqualTo(1);
        assertThat(cache.get("k", k -> loads.incrementAndGet())).isEqualTo(1);
        Thread.sleep(520);

        assertThat(cache.get("k", k -> loads.incrementAndGet())).isEqualTo(2);
    }

    @Test
    void whileOneCallerReloadsAnExpiredAnswerTheOthersKeepTheOldOne() throws Exception {
        ShortLivedCache<String, Integer> cache = new ShortLivedCache<>(Duration.ofMillis(400));
        cache.get("k", k -> 1);
        Thread.sleep(410);
        CountDownLatch reloading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService reloader = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> reloaded = reloader.submit(() -> cache.get("k", k -> {
                reloading.countDown();
                await(release);
                return 2;
            }));
            assertThat(reloading.await(5, TimeUnit.SECONDS)).isTrue();

            assertThat(cache.get("k", k -> 3)).as("another caller meanwhile").isEqualTo(1);
            release.countDown();
            assertThat(reloaded.get(5, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(cache.get("k", k -> 3)).isEqualTo(2);
        } finally {
            reloader.shutdownNow();
        }
    }

    @Test
    void anAnswerWhoseReloadHangsIsNotServedPastHalfALifetimeMore() throws Exception {
        ShortLivedCache<String, Integer> cache = new ShortLivedCache<>(Duration.ofMillis(200));
        cache.get("k", k -> 1);
        Thread.sleep(210);
        ExecutorService reloader = Executors.newSingleThreadExecutor();
        CountDownLatch never = new CountDownLatch(1);
        try {
            reloader.submit(() -> cache.get("k", k -> {
                await(never);
                return 2;
            }));
            Thread.sleep(110);

            assertThat(cache.get("k", k -> 3)).isEqualTo(3);
        } finally {
            never.countDown();
            reloader.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
