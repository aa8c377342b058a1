package dev.aiagg.axon.commandbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiagg.api.DomainException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.DefaultCommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolution;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.tracing.NoOpSpanFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bus and its gateway on their own, without a database: a worker's queue is bounded, and no caller waits for a
 * result longer than the send timeout. Payloads are strings: "hold" keeps the worker busy until released, "refuse"
 * is refused by the domain, anything else is answered.
 */
class CommandBusLimitsTest {

    private static final int MAX_QUEUED = 4;

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final GroupCommitCommandBus bus = new GroupCommitCommandBus(1, 8, MAX_QUEUED,
            NoTransactionManager.INSTANCE, NoOpMessageMonitor.INSTANCE,
            DefaultCommandBusSpanFactory.builder().spanFactory(NoOpSpanFactory.INSTANCE).build(),
            DuplicateCommandHandlerResolution.logAndOverride(), meters);
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Object> handled = new CopyOnWriteArrayList<>();

    CommandBusLimitsTest() {
        bus.subscribe(String.class.getName(), command -> {
            Object payload = command.getPayload();
            if ("hold".equals(payload)) {
                holding.countDown();
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            }
            if ("refuse".equals(payload)) {
                throw new DomainException("invalid_input", "refused");
            }
            handled.add(payload);
            return "handled " + payload;
        });
    }

    @AfterEach
    void stop() {
        release.countDown();
        bus.stop();
    }

    @Test
    void aCommandThatFindsItsWorkersQueueFullIsRefusedAtOnceAndNeverHandled() throws Exception {
        CompletableFuture<CommandResultMessage<?>> held = send("hold");
        assertThat(holding.await(10, TimeUnit.SECONDS)).as("the worker took the first command").isTrue();
        List<CompletableFuture<CommandResultMessage<?>>> queued = new ArrayList<>();
        for (int i = 0; i < MAX_QUEUED; i++) {
            queued.add(send("queued-" + i));
        }

        CompletableFuture<CommandResultMessage<?>> refused = send("one too many");

        assertThat(refused).as("answered without waiting for the worker").isDone();
        assertThat(refused.get().exceptionResult()).isInstanceOf(CommandBusOverloadedException.class);
        assertThat(meters.get("aiagg.command-bus.overloaded").counter().count()).isEqualTo(1);
        assertThat(queued).noneMatch(CompletableFuture::isDone);

        release.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS).getPayload()).isEqualTo("handled hold");
        for (int i = 0; i < MAX_QUEUED; i++) {
            assertThat(queued.get(i).get(10, TimeUnit.SECONDS).getPayload()).isEqualTo("handled queued-" + i);
        }
        assertThat(send("after").get(10, TimeUnit.SECONDS).getPayload()).as("room again").isEqualTo("handled after");
        assertThat(handled).doesNotContain("one too many");
    }

    @Test
    void sendAndWaitGivesUpAfterTheSendTimeoutWhileTheCommandMayStillTakeEffect() throws Exception {
        BoundedCommandGateway gateway = new BoundedCommandGateway(bus, Duration.ofMillis(200));
        send("hold");
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        assertThatThrownBy(() -> gateway.sendAndWait("late"))
                .isInstanceOf(CommandTimeoutException.class)
                .hasMessageContaining("within 200 ms");
        assertThatThrownBy(() -> gateway.sendAndWait("later", 100, TimeUnit.MILLISECONDS))
                .isInstanceOf(CommandTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));

        release.countDown();
        assertThat(gateway.<String>sendAndWait("next")).isEqualTo("handled next");
        assertThat(handled).as("the timed-out commands were handled after all").containsExactly(
                "hold", "late", "later", "next");
    }

    @Test
    void theGatewayHandsBackResultsAndRefusalsAsTheyAre() {
        BoundedCommandGateway gateway = new BoundedCommandGateway(bus, Duration.ofSeconds(5));

        assertThat(gateway.<String>sendAndWait("answer")).isEqualTo("handled answer");
        assertThatThrownBy(() -> gateway.sendAndWait("refuse"))
                .isInstanceOf(DomainException.class).hasMessage("refused");
    }

    private CompletableFuture<CommandResultMessage<?>> send(String payload) {
        CompletableFuture<CommandResultMessage<?>> result = new CompletableFuture<>();
        bus.dispatch(GenericCommandMessage.asCommandMessage(payload), (command, outcome) -> result.complete(outcome));
        return result;
    }
}
