package dev.aiagg.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.EOFException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class BufferedBodyTest {

    @Test
    void aBodyHoldsWhatHasArrivedNotWhatWasDeclared() throws Exception {
        BodyBudget budget = budget(1_000_000);
        Arrivals in = new Arrivals();
        BufferedBody body = new BufferedBody(budget, 100_000, 200_000);

        in.arrive(bytes(10, 'a'));
        assertThat(body.read(in, true)).isEqualTo(BufferedBody.Progress.MORE);
        assertThat(1_000_000 - budget.free()).isEqualTo(16 * 1024);

        in.arrive(bytes(99_990, 'b'));
        assertThat(body.read(in, true)).isEqualTo(BufferedBody.Progress.COMPLETE);
        assertThat(1_000_000 - budget.free()).isEqualTo(100_000);
        byte[] read = body.stream().readAllBytes();
        assertThat(read).hasSize(100_000).startsWith(bytes(10, 'a')).endsWith(bytes(99_990, 'b'));

        body.release();
        body.release();
        assertThat(budget.free()).isEqualTo(1_000_000);
    }

    @Test
    void readingWithoutWaitingTakesOnlyWhatTheContainerAlreadyHolds() throws Exception {
        Arrivals in = new Arrivals();
        BufferedBody body = new BufferedBody(budget(1_000_000), 30, 100);

        in.arrive(bytes(20, 'a'));
        assertThat(body.read(in, false)).isEqualTo(BufferedBody.Progress.MORE);
        assertThat(body.size()).isEqualTo(20);
        in.arrive(bytes(10, 'a'));
        assertThat(body.read(in, false)).isEqualTo(BufferedBody.Progress.COMPLETE);
    }

    @Test
    void aChunkedBodyIsCutOneBytePastItsLimit() throws Exception {
        BodyBudget budget = budget(1_000_000);
        Arrivals in = new Arrivals();
        BufferedBody body = new BufferedBody(budget, -1, 100);

        in.arrive(bytes(100, 'a'));
        assertThat(body.read(in, true)).isEqualTo(BufferedBody.Progress.MORE);
        in.arrive(bytes(50, 'a'));
        assertThat(body.read(in, true)).isEqualTo(BufferedBody.Progress.TOO_LARGE);
        assertThat(1_000_000 - budget.free()).isEqualTo(101);
    }

    @Test
    void aChunkedBodyEndsWithItsStream() throws Exception {
        Arrivals in = new Arrivals();
        BufferedBody body = new BufferedBody(budget(1_000_000), -1, 100);

        in.arrive(bytes(40, 'a'));
        in.end();
        assertThat(body.read(in, true)).isEqualTo(BufferedBody.Progress.COMPLETE);
        assertThat(body.size()).isEqualTo(40);
    }

    @Test
    void aBodyFindsNoRoomWhenOthersHoldTheBudget() throws Exception {
        BodyBudget budget = budget(1_000);
        Arrivals in = new Arrivals();
        BufferedBody body = new BufferedBody(budget, 2_000, 10_000);

        in.arrive(bytes(2_000, 'a'));
        assertThat(body.read(in, false)).isEqualTo(BufferedBody.Progress.NO_ROOM);
        assertThat(budget.free()).isEqualTo(1_000);
    }

    @Test
    void aDeclaredBodyThatEndsShortIsAnError() {
        Arrivals in = new Arrivals();
        BufferedBody body = new BufferedBody(budget(1_000), 50, 100);

        in.arrive(bytes(10, 'a'));
        in.end();
        assertThatThrownBy(() -> body.read(in, true)).isInstanceOf(EOFException.class);
    }

    @Test
    void aBodysDeadlineGrowsWithItsSize() {
        RequestBodyProperties properties = properties(1_000);

        assertThat(properties.readDeadlineMillis(0)).isEqualTo(10_000);
        assertThat(properties.readDeadlineMillis(256 * 1024)).isEqualTo(11_000);
        assertThat(properties.maxBody().bytesFor("/v1/messages")).isEqualTo(32 * 1024 * 1024);
        assertThat(properties.maxBody().bytesFor("/v1/embeddings")).isEqualTo(4 * 1024 * 1024);
        assertThat(properties.maxBody().bytesFor("/api/companies")).isEqualTo(64 * 1024);
    }

    private static BodyBudget budget(long bytes) {
        return new BodyBudget(properties(bytes));
    }

    private static RequestBodyProperties properties(long maxBuffered) {
        return new RequestBodyProperties(new RequestBodyProperties.MaxBody(DataSize.ofMegabytes(32),
                DataSize.ofMegabytes(4), DataSize.ofKilobytes(64)), Duration.ofSeconds(10), DataSize.ofKilobytes(256),
                DataSize.ofBytes(maxBuffered));
    }

    private static byte[] bytes(int count, char value) {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    /** A request body as the container hands it over: what has arrived can be read, then it waits for more. */
    private static final class Arrivals extends ServletInputStream {

        private final Deque<Byte> arrived = new ArrayDeque<>();
        private boolean ended;

        void arrive(byte[] bytes) {
            for (byte b : bytes) {
                arrived.add(b);
            }
        }

        void end() {
            ended = true;
        }

        @Override
        public int read() {
            Byte next = arrived.poll();
            return next == null ? -1 : next & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (arrived.isEmpty()) {
                if (!ended) {
                    throw new IllegalStateException("a read now would wait for the client");
                }
                return -1;
            }
            int count = Math.min(length, arrived.size());
            for (int i = 0; i < count; i++) {
                buffer[offset + i] = arrived.poll();
            }
            return count;
        }

        @Override
        public int available() {
            return arrived.size();
        }

        @Override
        public boolean isReady() {
            return !arrived.isEmpty() || ended;
        }

        @Override
        public boolean isFinished() {
            return ended && arrived.isEmpty();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
