package dev.aiagg.gateway.account;

import dev.aiagg.api.account.AccountIdList;
import dev.aiagg.api.account.ExpireOverdueReservations;
import dev.aiagg.api.account.FindAccountsWithOverdueReservations;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;

/**
 * Gives back holds that were never settled nor released (the node serving the request died, say) once they expire,
 * instead of when the account's next operation happens to come: every {@code aiagg.ledger.expiry-sweep-interval}
 * (5 s, so that a dead node's leases are given back within a lease and a sweep)
 * it asks the open-reservation read model for accounts with overdue holds and sends each of them
 * {@link ExpireOverdueReservations}, which records a {@code ReservationExpired} per hold. Every node may sweep:
 * the command expires nothing twice.
 */
@Component
@EnableScheduling
@EnableConfigurationProperties(ReservationSweeper.SweepProperties.class)
class ReservationSweeper implements SchedulingConfigurer {

    /** Accounts per sweep; the rest wait for the next one. */
    static final int BATCH = 1_000;

    private static final Logger log = LoggerFactory.getLogger(ReservationSweeper.class);

    private final CommandGateway commands;
    private final QueryGateway queries;
    private final SweepProperties properties;

    ReservationSweeper(CommandGateway commands, QueryGateway queries, SweepProperties properties) {
        this.commands = commands;
        this.queries = queries;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::sweep, properties.expirySweepInterval());
    }

    /** @return the number of accounts whose overdue holds were given back */
    int sweep() {
        AccountIdList overdue = queries.query(new FindAccountsWithOverdueReservations(Instant.now(), BATCH),
                ResponseTypes.instanceOf(AccountIdList.class)).join();
        Map<String, CompletableFuture<Object>> sent = new LinkedHashMap<>();
        // Sent together, so that the command bus can commit them in groups.
        overdue.accountIds().forEach(accountId ->
                sent.put(accountId, commands.send(new ExpireOverdueReservations(accountId))));
        int swept = 0;
        for (Map.Entry<String, CompletableFuture<Object>> command : sent.entrySet()) {
            try {
                command.getValue().join();
                swept++;
            } catch (CompletionException e) {
                log.warn("Could not expire the overdue holds of {}; the next sweep retries", command.getKey(),
                        e.getCause());
            }
        }
        if (swept > 0) {
            log.info("Expired overdue holds; accounts swept: {}", swept);
        }
        return swept;
    }

    @ConfigurationProperties("aiagg.ledger")
    @Validated
    record SweepProperties(@NotNull @DefaultValue("5s") Duration expirySweepInterval) {
    }
}
