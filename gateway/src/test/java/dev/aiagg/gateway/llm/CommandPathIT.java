package dev.aiagg.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.aiagg.api.account.ExpireOverdueReservations;
import dev.aiagg.axon.commandbus.CommandBusOverloadedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.common.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * The command bus under pressure, seen through HTTP: a full queue and a command that is not answered in time are
 * 503 with {@code Retry-After} in the caller's error format, never a 500 or a request that hangs. The bus's worker is
 * held inside a first command meanwhile, as a stalled database would hold it.
 */
class CommandPathIT extends LlmIntegrationTest {

    private static final String HOLD = "hold";

    @Autowired
    private CommandBus commandBus;

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<CompletableFuture<CommandResultMessage<?>>> sent = new ArrayList<>();
    private Registration holding;

    @AfterEach
    void releaseTheWorker() {
        release.countDown();
        if (holding != null) {
            holding.cancel();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> sent.stream().allMatch(CompletableFuture::isDone));
    }

    @Test
    void aFullCommandQueueIsAnswered503AtOnceInEachApisOwnFormat() throws Exception {
        Tenant tenant = tenant("100.00", Map.of());
        String model = defineModel("openai", "fake-chat", "RUB", null);
        String claude = defineModel("anthropic", "claude-fake", "RUB", null);
        holdTheWorker();
        fillTheQueue();

        Response api = call(HttpMethod.POST, "/api/keys", tenant.company().accessToken(), Map.of("name", "busy"));
        assertThat(api.status()).as("%s", api.body()).isEqualTo(503);
        assertThat(api.headers().getFirst("Retry-After")).isEqualTo("1");
        assertThat(api.headers().getContentType()).hasToString("application/problem+json");
        assertThat(api.text("code")).isEqualTo("unavailable");

        Response openAi = v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false));
        assertThat(openAi.status()).as("%s", openAi.body()).isEqualTo(503);
        assertThat(openAi.headers().getFirst("Retry-After")).isEqualTo("1");
        assertThat(openAi.body().at("/error/type").asText()).isEqualTo("server_error");
        assertThat(openAi.body().at("/error/code").asText()).isEqualTo("service_unavailable");

        Response anthropic = call(HttpMethod.POST, "/v1/messages", tenant.secret(),
                Map.of("model", claude, "max_tokens", 64,
                        "messages", List.of(Map.of("role", "user", "content", "hi"))),
                Map.of("anthropic-version", "2023-06-01"));
        assertThat(anthropic.status()).as("%s", anthropic.body()).isEqualTo(503);
        assertThat(anthropic.body().at("/type").asText()).isEqualTo("error");
        assertThat(anthropic.body().at("/error/type").asText()).isEqualTo("overloaded_error");

        release.countDown();
        await().atMost(Duration.ofSeconds(60)).until(() -> sent.stream().allMatch(CompletableFuture::isDone));
        assertThat(call(HttpMethod.POST, "/api/keys", tenant.company().accessToken(), Map.of("name", "later"))
                .status()).as("taken again once the queue has room").isEqualTo(201);
        assertThat(v1(tenant.secret(), "/v1/chat/completions", chatBody(model, false)).status()).isEqualTo(200);
    }

    @Test
    void aCommandNotAnsweredWithinTheSendTimeoutIs503AndMayStillTakeEffect() throws Exception {
        CompanySession company = newCompany();
        holdTheWorker();
        String name = "slow-" + UUID.randomUUID();

        long started = System.nanoTime();
        Response timedOut = call(HttpMethod.POST, "/api/keys", company.accessToken(), Map.of("name", name));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the default send timeout, not for ever")
                .isBetween(Duration.ofSeconds(4), Duration.ofSeconds(30));
        assertThat(timedOut.status()).as("%s", timedOut.body()).isEqualTo(503);
        assertThat(timedOut.headers().getFirst("Retry-After")).isEqualTo("1");
        assertThat(timedOut.text("code")).isEqualTo("unavailable");
        assertThat(timedOut.text("detail")).contains("may still take effect");

        release.countDown();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                call(HttpMethod.GET, "/api/keys", company.accessToken(), null).body().toString().contains(name));
    }

    /** Makes the bus's worker wait inside a first command until the test releases it. */
    private void holdTheWorker() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        holding = commandBus.registerHandlerInterceptor((unitOfWork, chain) -> {
            if (unitOfWork.getMessage().getMetaData().containsKey(HOLD)) {
                entered.countDown();
                release.await(60, TimeUnit.SECONDS);
            }
            return chain.proceed();
        });
        sent.add(dispatch(GenericCommandMessage.<Object>asCommandMessage(harmless()).andMetaData(Map.of(HOLD, true))));
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the worker took the first command").isTrue();
    }

    /** Queues harmless commands until the bus refuses one. */
    private void fillTheQueue() throws Exception {
        for (int i = 0; i < 1_000_000; i++) {
            CompletableFuture<CommandResultMessage<?>> result =
                    dispatch(GenericCommandMessage.asCommandMessage(harmless()));
            if (result.isDone() && result.get().exceptionResult() instanceof CommandBusOverloadedException) {
                return;
            }
            sent.add(result);
        }
        throw new AssertionError("the command bus took a million commands without refusing one");
    }

    /** Refused by the ledger (no such account), so it writes nothing. */
    private static ExpireOverdueReservations harmless() {
        return new ExpireOverdueReservations("acct_command_path_test");
    }

    private CompletableFuture<CommandResultMessage<?>> dispatch(CommandMessage<Object> command) {
        CompletableFuture<CommandResultMessage<?>> result = new CompletableFuture<>();
        commandBus.dispatch(command, (message, outcome) -> result.complete(outcome));
        return result;
    }
}
