package dev.aiagg.axon.commandbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.DefaultCommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolution;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.lifecycle.ShutdownInProgressException;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.tracing.NoOpSpanFactory;
import org.junit.jupiter.api.Test;

/** The bus on its own, without a database: what happens to queued commands when it stops. */
class GroupCommitCommandBusShutdownTest {

    @Test
    void stoppingHandlesEveryQueuedCommandThenRefusesNewOnesAtOnce() throws Exception {
        GroupCommitCommandBus bus = new GroupCommitCommandBus(2, 8, 4096, NoTransactionManager.INSTANCE,
                NoOpMessageMonitor.INSTANCE,
                DefaultCommandBusSpanFactory.builder().spanFactory(NoOpSpanFactory.INSTANCE).build(),
                DuplicateCommandHandlerResolution.logAndOverride(), new SimpleMeterRegistry());
        bus.subscribe(String.class.getName(), command -> {
            Thread.sleep(5);
            return "handled " + command.getPayload();
        });
        List<CompletableFuture<CommandResultMessage<?>>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            results.add(send(bus, "command-" + i));
        }

        bus.stop();

        assertThat(bus.isRunning()).isFalse();
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i)).as("queued before the stop").isDone();
            assertThat(results.get(i).get().getPayload()).isEqualTo("handled command-" + i);
        }
        CompletableFuture<CommandResultMessage<?>> late = send(bus, "late");
        assertThat(late).as("refused without waiting").isDone();
        assertThat(late.get().exceptionResult()).isInstanceOf(ShutdownInProgressException.class);
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new CommandBusProperties(true, 0, 128, 4096, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CommandBusProperties(true, 4, 0, 4096, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CommandBusProperties(true, 4, 128, 0, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CommandBusProperties(true, 4, 128, 4096, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static CompletableFuture<CommandResultMessage<?>> send(GroupCommitCommandBus bus, String payload) {
        CompletableFuture<CommandResultMessage<?>> result = new CompletableFuture<>();
        bus.dispatch(GenericCommandMessage.asCommandMessage(payload),
                (command, outcome) -> result.complete(outcome));
        return result;
    }
}
