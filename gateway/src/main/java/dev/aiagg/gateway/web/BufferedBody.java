package dev.aiagg.gateway.web;

import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * A request body read into memory as it arrives, never past its path's limit nor past the {@link BodyBudget}. The
 * array grows as bytes come (a client that declares 32 MB and sends one byte holds a few kilobytes), and what it
 * holds is taken from the budget until {@link #release()}. Used by one thread at a time: the container runs a
 * request's read events one after another.
 */
final class BufferedBody {

    enum Progress { MORE, COMPLETE, TOO_LARGE, NO_ROOM }

    private static final int FIRST_CHUNK = 16 * 1024;

    private final BodyBudget budget;
    private final long declared;
    private final long limit;
    private byte[] bytes = new byte[0];
    private int size;
    private long held;

    /**
     * @param declared the Content-Length, or -1 for a chunked body
     * @param limit    the most its path takes
     */
    BufferedBody(BodyBudget budget, long declared, long limit) {
        this.budget = budget;
        this.declared = declared;
        this.limit = limit;
    }

    /**
     * Reads what can be read without waiting: in blocking mode what the container has already buffered
     * ({@code available()}), in non-blocking mode while the stream is ready.
     */
    Progress read(ServletInputStream in, boolean nonBlocking) throws IOException {
        while (nonBlocking ? in.isReady() : in.available() > 0) {
            if (size == bytes.length && !grow()) {
                return Progress.NO_ROOM;
            }
            int read = in.read(bytes, size, bytes.length - size);
            if (read < 0) {
                if (declared >= 0) {
                    throw new EOFException("the request body ended after " + size + " of " + declared + " bytes");
                }
                return Progress.COMPLETE;
            }
            size += read;
            if (size > limit) {
                return Progress.TOO_LARGE;
            }
            if (size == declared) {
                return Progress.COMPLETE;
            }
        }
        return Progress.MORE;
    }

    int size() {
        return size;
    }

    ByteArrayInputStream stream() {
        return new ByteArrayInputStream(bytes, 0, size);
    }

    void release() {
        budget.giveBack(held);
        held = 0;
    }

    /** Doubles the array, up to the declared length, or one byte past the limit for a chunked body. */
    private boolean grow() {
        long room = declared >= 0 ? declared : limit + 1;
        int next = (int) Math.min(room, Math.max(FIRST_CHUNK, 2L * bytes.length));
        if (!budget.take(next - bytes.length)) {
            return false;
        }
        held += next - bytes.length;
        bytes = Arrays.copyOf(bytes, next);
        return true;
    }
}
