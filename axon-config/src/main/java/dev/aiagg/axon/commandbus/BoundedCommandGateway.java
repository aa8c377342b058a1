package dev.aiagg.axon.commandbus;

import static org.axonframework.commandhandling.GenericCommandResultMessage.asCommandResultMessage;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.callbacks.FutureCallback;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;

/**
 * Axon's command gateway, except that no caller waits for ever: {@code sendAndWait(command)} waits at most the send
 * timeout, and a wait that runs out throws a {@link CommandTimeoutException}. (Axon's timed {@code sendAndWait}
 * wraps the timeout in a {@code CommandExecutionException}, as it does a handler's checked exception.)
 */
final class BoundedCommandGateway extends DefaultCommandGateway {

    private final Duration sendTimeout;

    BoundedCommandGateway(CommandBus commandBus, Duration sendTimeout) {
        super(DefaultCommandGateway.builder().commandBus(commandBus));
        this.sendTimeout = sendTimeout;
    }

    @Override
    public <R> R sendAndWait(Object command) {
        return sendAndWait(command, sendTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public <R> R sendAndWait(Object command, long timeout, TimeUnit unit) {
        FutureCallback<Object, R> callback = new FutureCallback<>();
        send(command, callback);
        CommandResultMessage<? extends R> result;
        try {
            result = callback.get(timeout, unit);
        } catch (TimeoutException e) {
            throw new CommandTimeoutException(GenericCommandMessage.asCommandMessage(command).getCommandName(),
                    Duration.of(timeout, unit.toChronoUnit()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandExecutionException("interrupted while waiting for the result of a command", e);
        } catch (ExecutionException e) {
            result = asCommandResultMessage(e.getCause());
        }
        if (!result.isExceptional()) {
            return result.getPayload();
        }
        Throwable failure = result.exceptionResult();
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw new CommandExecutionException("An exception occurred while executing a command", failure);
    }
}
