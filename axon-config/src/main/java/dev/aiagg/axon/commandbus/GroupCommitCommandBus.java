package dev.aiagg.axon.commandbus;

import static java.lang.String.format;
import static org.axonframework.commandhandling.GenericCommandResultMessage.asCommandResultMessage;

import dev.aiagg.api.DomainException;
import dev.aiagg.axon.eventstore.StagedEventsListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.MonitorAwareCallback;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.commandhandling.callbacks.LoggingCallback;
import org.axonframework.commandhandling.distributed.AnnotationRoutingStrategy;
import org.axonframework.commandhandling.distributed.RoutingStrategy;
import org.axonframework.commandhandling.distributed.UnresolvedRoutingKeyPolicy;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.Registration;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.lifecycle.ShutdownInProgressException;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.monitoring.MessageMonitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A command bus that commits commands in groups: every durable commit costs an fsync, so one transaction for many
 * commands is what lets the ledger keep up with many concurrent requests.
 *
 * <p>Each command goes to one of a few worker threads, chosen by its target aggregate, so an aggregate is only ever
 * handled by one thread. A worker takes whatever commands are waiting (never waiting for more) and handles them in
 * one unit of work and one transaction; every caller gets its own command's result once that transaction commits.
 * A command refused with a {@link DomainException} fails alone inside the group, as long as it published no event:
 * command handlers validate before they apply, so a refusal normally leaves nothing behind. A refused command that
 * did publish events, and any other failure, rolls the group back (which also evicts its aggregates from the cache),
 * and its commands are then handled again one by one, so that only the faulty one fails and leaves no event.
 *
 * <p>Each worker queues at most {@code maxQueued} commands; a command that finds its worker's queue full is refused
 * at once with a {@link CommandBusOverloadedException} rather than waiting behind commands that cannot be handled in
 * time.
 *
 * <p>A command sent inside a transaction of the caller (or by a handler) runs at once on the caller's thread, in that
 * transaction, as with Axon's SimpleCommandBus. Interceptors, monitors and spans work as they do there.
 */
final class GroupCommitCommandBus implements CommandBus, SmartLifecycle, DisposableBean {

    private static final Logger logger = LoggerFactory.getLogger(GroupCommitCommandBus.class);

    /** Stops after the web server has finished its requests and before Axon's own components shut down. */
    private static final int PHASE = Integer.MAX_VALUE - 2560;
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration DRAIN_WAIT = Duration.ofSeconds(30);

    private final int maxBatch;
    private final int maxQueued;
    private final TransactionManager transactionManager;
    private final MessageMonitor<? super CommandMessage<?>> messageMonitor;
    private final CommandBusSpanFactory spanFactory;
    private final DuplicateCommandHandlerResolver duplicateCommandHandlerResolver;
    private final RoutingStrategy routingStrategy = AnnotationRoutingStrategy.builder()
            .fallbackRoutingStrategy(UnresolvedRoutingKeyPolicy.RANDOM_KEY)
            .build();
    private final ConcurrentMap<String, MessageHandler<? super CommandMessage<?>>> subscriptions =
            new ConcurrentHashMap<>();
    private final List<MessageHandlerInterceptor<? super CommandMessage<?>>> handlerInterceptors =
            new CopyOnWriteArrayList<>();
    private final List<MessageDispatchInterceptor<? super CommandMessage<?>>> dispatchInterceptors =
            new CopyOnWriteArrayList<>();
    private final DistributionSummary commandsPerCommit;
    private final Counter overloaded;
    private final List<Worker> workers;
    private volatile boolean accepting = true;

    GroupCommitCommandBus(int workerCount, int maxBatch, int maxQueued, TransactionManager transactionManager,
                          MessageMonitor<? super CommandMessage<?>> messageMonitor,
                          CommandBusSpanFactory spanFactory,
                          DuplicateCommandHandlerResolver duplicateCommandHandlerResolver,
                          MeterRegistry meterRegistry) {
        this.maxBatch = maxBatch;
        this.maxQueued = maxQueued;
        this.transactionManager = transactionManager;
        this.messageMonitor = messageMonitor;
        this.spanFactory = spanFactory;
        this.duplicateCommandHandlerResolver = duplicateCommandHandlerResolver;
        this.commandsPerCommit = DistributionSummary.builder("aiagg.command-bus.commit.commands")
                .description("Commands handled in one committed transaction of the command bus")
                .register(meterRegistry);
        this.overloaded = Counter.builder("aiagg.command-bus.overloaded")
                .description("Commands refused because the queue of their worker was full")
                .register(meterRegistry);
        // Workers run from the start, so that commands sent while the application starts are handled.
        ThreadFactory threads = new AxonThreadFactory("command-bus");
        List<Worker> started = new ArrayList<>(workerCount);
        for (int i = 0; i < workerCount; i++) {
            started.add(new Worker(threads));
        }
        this.workers = List.copyOf(started);
        workers.forEach(Worker::start);
    }

    @Override
    public <C> void dispatch(CommandMessage<C> command) {
        dispatch(command, LoggingCallback.INSTANCE);
    }

    @Override
    public <C, R> void dispatch(CommandMessage<C> command,
                                CommandCallback<? super C, ? super R> callback) {
        spanFactory.createDispatchCommandSpan(command, false).run(() -> route(intercept(command), callback));
    }

    @SuppressWarnings("unchecked")
    private <C> CommandMessage<C> intercept(CommandMessage<C> command) {
        CommandMessage<C> intercepted = command;
        for (MessageDispatchInterceptor<? super CommandMessage<?>> interceptor : dispatchInterceptors) {
            intercepted = (CommandMessage<C>) interceptor.handle(intercepted);
        }
        return intercepted;
    }

    private <C, R> void route(CommandMessage<C> intercepted, CommandCallback<? super C, ? super R> callback) {
        CommandMessage<C> command = spanFactory.propagateContext(intercepted);
        MessageMonitor.MonitorCallback monitor = messageMonitor.onMessageIngested(command);
        MessageHandler<? super CommandMessage<?>> handler = subscriptions.get(command.getCommandName());
        if (handler == null) {
            NoHandlerForCommandException missing = new NoHandlerForCommandException(
                    format("No handler was subscribed for command [%s].", command.getCommandName()));
            monitor.reportFailure(missing);
            callback.onResult(command, asCommandResultMessage(missing));
            return;
        }
        PendingCommand<C, R> pending =
                new PendingCommand<>(command, handler, new MonitorAwareCallback<>(callback, monitor));
        if (TransactionSynchronizationManager.isActualTransactionActive() || CurrentUnitOfWork.isStarted()) {
            // It must commit or roll back with the caller's work, and a worker would deadlock on itself.
            handleAlone(pending);
        } else if (!accepting) {
            pending.refuseAfterShutdown();
        } else {
            String routingKey = routingStrategy.getRoutingKey(command);
            workers.get(Math.floorMod(routingKey.hashCode(), workers.size())).enqueue(pending);
        }
    }

    /** Handles the batch in one transaction, or, when it rolls back, each of its commands in its own. */
    private void handle(List<PendingCommand<?, ?>> batch) {
        if (batch.size() > 1) {
            try {
                if (commitTogether(batch)) {
                    return;
                }
            } catch (RuntimeException | Error failure) {
                logger.debug("A batch of {} commands failed; handling them one by one", batch.size(), failure);
            }
        }
        for (PendingCommand<?, ?> pending : batch) {
            handleAlone(pending);
        }
    }

    /** True when the batch committed and every caller has its result; false when it was rolled back. */
    private boolean commitTogether(List<PendingCommand<?, ?>> batch) {
        List<CommandMessage<?>> commands = new ArrayList<>(batch.size());
        batch.forEach(pending -> commands.add(pending.command));
        BatchUnitOfWork unitOfWork = new BatchUnitOfWork(commands);
        unitOfWork.start();
        unitOfWork.attachTransaction(transactionManager);
        // The unit of work runs the task once per command, in order.
        Iterator<PendingCommand<?, ?>> next = batch.iterator();
        unitOfWork.executeWithResult(() -> next.next().handleIn(unitOfWork), unitOfWork::rollBackOn);
        if (unitOfWork.isRolledBack()) {
            return false;
        }
        commandsPerCommit.record(batch.size());
        batch.forEach(PendingCommand::completeWithOwnResult);
        return true;
    }

    private void handleAlone(PendingCommand<?, ?> pending) {
        CommandResultMessage<?> result;
        try {
            UnitOfWork<CommandMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(pending.command);
            boolean ownTransaction = !TransactionSynchronizationManager.isActualTransactionActive();
            unitOfWork.attachTransaction(transactionManager);
            result = asCommandResultMessage(unitOfWork.executeWithResult(() -> pending.handleIn(unitOfWork),
                    RollbackConfigurationType.UNCHECKED_EXCEPTIONS));
            if (ownTransaction && !unitOfWork.isRolledBack()) {
                commandsPerCommit.record(1);
            }
        } catch (RuntimeException | Error failure) {
            result = asCommandResultMessage(failure);
        }
        pending.complete(result);
    }

    @Override
    public Registration subscribe(String commandName,
                                  MessageHandler<? super CommandMessage<?>> handler) {
        subscriptions.compute(commandName, (name, existing) -> existing == null || existing == handler
                ? handler
                : duplicateCommandHandlerResolver.resolve(name, existing, handler));
        return () -> subscriptions.remove(commandName, handler);
    }

    @Override
    public Registration registerHandlerInterceptor(
            MessageHandlerInterceptor<? super CommandMessage<?>> handlerInterceptor) {
        handlerInterceptors.add(handlerInterceptor);
        return () -> handlerInterceptors.remove(handlerInterceptor);
    }

    @Override
    public Registration registerDispatchInterceptor(
            MessageDispatchInterceptor<? super CommandMessage<?>> dispatchInterceptor) {
        dispatchInterceptors.add(dispatchInterceptor);
        return () -> dispatchInterceptors.remove(dispatchInterceptor);
    }

    /** Nothing to do: the workers run from construction. */
    @Override
    public void start() {
    }

    /** Refuses new commands, then waits until the workers have handled every command already queued. */
    @Override
    public void stop() {
        accepting = false;
        for (Worker worker : workers) {
            worker.awaitDrained();
        }
    }

    @Override
    public boolean isRunning() {
        return accepting;
    }

    /** Also ends the workers when the context never started, whose threads would otherwise keep the JVM alive. */
    @Override
    public void destroy() {
        stop();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * The unit of work of a batch. It remembers which of its commands last staged events, so that a refusal that came
     * after its own command had applied events rolls the batch back: committing the rest would commit those events
     * too, and the cached aggregate would keep them. Nothing is counted per command.
     */
    private static final class BatchUnitOfWork extends BatchingUnitOfWork<CommandMessage<?>>
            implements StagedEventsListener {

        private Message<?> lastStaging;

        BatchUnitOfWork(List<CommandMessage<?>> commands) {
            super(commands);
        }

        @Override
        public void eventsStaged() {
            lastStaging = getMessage();
        }

        /** Called with the failure of the command being handled; a clean refusal fails it alone. */
        boolean rollBackOn(Throwable failure) {
            return !(failure instanceof DomainException) || lastStaging == getMessage();
        }
    }

    /** A command with its handler and caller, and its outcome once handled. */
    private final class PendingCommand<C, R> {

        private final CommandMessage<C> command;
        private final MessageHandler<? super CommandMessage<?>> handler;
        private final CommandCallback<? super C, ? super R> callback;
        private CommandResultMessage<?> outcome;

        PendingCommand(CommandMessage<C> command, MessageHandler<? super CommandMessage<?>> handler,
                       CommandCallback<? super C, ? super R> callback) {
            this.command = command;
            this.handler = handler;
            this.callback = callback;
        }

        /** Runs the handler interceptors and the handler in the unit of work, whose current message is this one. */
        Object handleIn(UnitOfWork<CommandMessage<?>> unitOfWork) throws Exception {
            try {
                Object result = spanFactory.createHandleCommandSpan(command, false).runCallable(
                        new DefaultInterceptorChain<>(unitOfWork, handlerInterceptors, handler)::proceed);
                outcome = asCommandResultMessage(result);
                return result;
            } catch (Exception | Error failure) {
                outcome = asCommandResultMessage(failure);
                throw failure;
            }
        }

        void completeWithOwnResult() {
            complete(outcome);
        }

        void refuseAfterShutdown() {
            complete(asCommandResultMessage(new ShutdownInProgressException("the command bus is shut down")));
        }

        void refuseOverloaded() {
            complete(asCommandResultMessage(new CommandBusOverloadedException(maxQueued)));
        }

        @SuppressWarnings("unchecked")
        void complete(CommandResultMessage<?> result) {
            try {
                callback.onResult(command, (CommandResultMessage<R>) result);
            } catch (RuntimeException failure) {
                // One caller's failing callback must not keep the others of its batch from their results.
                logger.warn("A command callback failed", failure);
            }
        }
    }

    private final class Worker implements Runnable {

        private final BlockingQueue<PendingCommand<?, ?>> queue;
        private final Thread thread;

        Worker(ThreadFactory threads) {
            this.queue = new LinkedBlockingQueue<>(maxQueued);
            this.thread = threads.newThread(this);
        }

        void start() {
            thread.start();
        }

        void enqueue(PendingCommand<?, ?> pending) {
            if (!queue.offer(pending)) {
                overloaded.increment();
                pending.refuseOverloaded();
                return;
            }
            // Shutdown may have begun meanwhile; a command the worker did not take is refused rather than stranded.
            if (!accepting && queue.remove(pending)) {
                pending.refuseAfterShutdown();
            }
        }

        @Override
        public void run() {
            List<PendingCommand<?, ?>> batch = new ArrayList<>(maxBatch);
            while (accepting || !queue.isEmpty()) {
                PendingCommand<?, ?> first;
                try {
                    first = queue.poll(IDLE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    // Queued callers wait for their results, so a worker only ends when the bus stops.
                    continue;
                }
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                try {
                    handle(batch);
                } catch (RuntimeException | Error failure) {
                    logger.error("The command bus worker failed to handle a batch", failure);
                }
                batch.clear();
            }
        }

        void awaitDrained() {
            try {
                thread.join(DRAIN_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                logger.warn("{} still has commands to handle after {}", thread.getName(), DRAIN_WAIT);
            }
        }
    }
}
