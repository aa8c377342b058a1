package dev.aiagg.proxy;

import dev.aiagg.proxy.CallOutcome.Status;
import dev.aiagg.proxy.provider.Failures;
import dev.aiagg.proxy.provider.UpstreamFailure;
import dev.aiagg.proxy.provider.UpstreamReply;
import dev.aiagg.proxy.sse.SseEvent;
import dev.aiagg.proxy.sse.SseParser;
import dev.aiagg.proxy.translation.StreamTranslator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One upstream stream relayed to the client. Before the first frame reaches the sink a failure is handed back to
 * the router (which may retry); after it, the client gets an error event and the stream ends FAILED_MID_STREAM.
 * The future fails with {@link UpstreamFailure} only in the first case. A stream still running at the call's
 * deadline, or ended from outside ({@link #end}), ends the same way, without a retry.
 */
final class StreamSession implements UpstreamReply.LineListener {

    /** Builds the call's result once the stream is over. */
    interface Finisher {
        RoutingLlmProxy.Result finish(Status status, StreamTranslator translator, ProviderException error);
    }

    private final String provider;
    private final UpstreamReply reply;
    private final StreamTranslator translator;
    private final StreamSink sink;
    private final long idleNanos;
    private final long deadlineNanos;
    private final ScheduledExecutorService scheduler;
    private final Finisher finisher;
    private final SseParser parser = new SseParser();
    private final ReentrantLock lock = new ReentrantLock();
    private final CompletableFuture<RoutingLlmProxy.Result> done = new CompletableFuture<>();
    private volatile long lastActivity;
    private volatile boolean over;
    private volatile ScheduledFuture<?> idleWatch;
    private boolean committed;

    /** @param deadlineNanos the {@link System#nanoTime()} at which the call's time is up */
    StreamSession(String provider, UpstreamReply reply, StreamTranslator translator, StreamSink sink,
                  Duration idleTimeout, long deadlineNanos, ScheduledExecutorService scheduler, Finisher finisher) {
        this.provider = provider;
        this.reply = reply;
        this.translator = translator;
        this.sink = sink;
        this.idleNanos = idleTimeout.toNanos();
        this.deadlineNanos = deadlineNanos;
        this.scheduler = scheduler;
        this.finisher = finisher;
    }

    CompletableFuture<RoutingLlmProxy.Result> start() {
        lastActivity = System.nanoTime();
        watch(Math.min(idleNanos, deadlineNanos - lastActivity));
        reply.lines(this);
        return done;
    }

    /** Ends the stream now with this error, as a provider failure would, and with no retry. */
    void end(ProviderException error) {
        lock.lock();
        try {
            if (!over) {
                fail(new UpstreamFailure(error, UpstreamFailure.Next.STOP, UpstreamFailure.Cause.REFUSED));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onLine(String line) {
        lock.lock();
        try {
            if (over) {
                return;
            }
            lastActivity = System.nanoTime();
            parser.line(line).ifPresent(this::onEvent);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onComplete() {
        lock.lock();
        try {
            if (over) {
                return;
            }
            parser.finish().ifPresent(this::onEvent);
            if (over) {
                return;
            }
            if (translator.ended() || translator.finished()) {
                complete();
            } else {
                fail(UpstreamFailure.broken("provider " + provider + " ended the stream before the answer was complete"));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onError(Throwable error) {
        lock.lock();
        try {
            if (!over) {
                fail(Failures.fromThrowable(provider, error));
            }
        } finally {
            lock.unlock();
        }
    }

    private void onEvent(SseEvent event) {
        List<String> frames;
        try {
            frames = translator.onEvent(event);
        } catch (RuntimeException e) {
            fail(UpstreamFailure.broken("provider " + provider + " sent an event that cannot be read: " + e));
            return;
        }
        for (String frame : frames) {
            if (!send(frame)) {
                return;
            }
        }
        if (translator.failure() != null) {
            fail(translator.failure());
        } else if (translator.ended()) {
            complete();
        }
    }

    private boolean send(String frame) {
        committed = true;
        boolean delivered = deliver(frame);
        lastActivity = System.nanoTime();
        if (!delivered) {
            finish(Status.CLIENT_GONE, null, true);
        }
        return delivered;
    }

    /** A sink that throws has lost its client just like one that returns false. */
    private boolean deliver(String frame) {
        try {
            return sink.send(frame);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void fail(UpstreamFailure failure) {
        if (!committed) {
            stop(true);
            done.completeExceptionally(failure);
            return;
        }
        deliver(translator.error(failure.error()));
        finish(Status.FAILED_MID_STREAM, failure.error(), true);
    }

    private void complete() {
        RoutingLlmProxy.Result result = finisher.finish(Status.COMPLETED, translator, null);
        for (String frame : translator.closing(result.outcome().usage())) {
            if (!deliver(frame)) {
                finish(Status.CLIENT_GONE, null, false);
                return;
            }
        }
        stop(false);
        done.complete(result);
    }

    private void finish(Status status, ProviderException error, boolean cancelUpstream) {
        stop(cancelUpstream);
        done.complete(finisher.finish(status, translator, error));
    }

    /** A finished stream is read to its end so its connection goes back to the pool; any other is cut. */
    private void stop(boolean cancelUpstream) {
        over = true;
        // A pending idle check would keep the whole session, and the response it relayed, alive until it is due.
        ScheduledFuture<?> watch = idleWatch;
        if (watch != null) {
            watch.cancel(false);
        }
        if (cancelUpstream) {
            reply.cancel();
        }
    }

    private void watch(long delayNanos) {
        ScheduledFuture<?> watch = scheduler.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
        idleWatch = watch;
        if (over) {
            // The stream ended while this check was being scheduled, and stop() may have missed it.
            watch.cancel(false);
        }
    }

    /**
     * Runs on the shared scheduler when the stream may have been silent too long or reached its deadline: never
     * waits for a stream that is busy sending, it just looks again later.
     */
    private void checkIdle() {
        if (over) {
            return;
        }
        long now = System.nanoTime();
        long silent = now - lastActivity;
        long left = deadlineNanos - now;
        if ((silent < idleNanos && left > 0) || !lock.tryLock()) {
            watch(Math.max(1_000_000, Math.min(Math.max(idleNanos - silent, idleNanos / 10), left)));
            return;
        }
        try {
            if (over) {
                return;
            }
            if (left <= 0) {
                fail(new UpstreamFailure(new ProviderException(504, "server_error",
                        "The call reached its time limit; the answer was cut short.", null),
                        UpstreamFailure.Next.STOP, UpstreamFailure.Cause.TIMEOUT));
            } else {
                fail(UpstreamFailure.timeout("provider " + provider + " sent nothing for "
                        + Duration.ofNanos(idleNanos).toMillis() + " ms"));
            }
        } finally {
            lock.unlock();
        }
    }
}
