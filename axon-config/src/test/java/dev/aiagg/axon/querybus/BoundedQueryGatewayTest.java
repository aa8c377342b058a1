package dev.aiagg.axon.querybus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.junit.jupiter.api.Test;

/** The query gateway on Axon's simple query bus, without a database. */
class BoundedQueryGatewayTest {

    private final SimpleQueryBus queryBus = SimpleQueryBus.builder().build();
    private final BoundedQueryGateway gateway = new BoundedQueryGateway(queryBus, Duration.ofMillis(200));

    @Test
    void aQueryAnsweredOnTheCallersThreadIsHandedBackAsItIs() {
        queryBus.subscribe("echo", String.class, query -> "echo " + query.getPayload());

        assertThat(gateway.query("echo", "ping", String.class).join()).isEqualTo("echo ping");
    }

    @Test
    void aQueryWhoseAnswerNeverComesFailsWithATimeout() {
        queryBus.subscribe("never", String.class, query -> new CompletableFuture<String>());

        long started = System.nanoTime();
        assertThatThrownBy(() -> gateway.query("never", "ping", String.class).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void theTimeoutMustBePositive() {
        assertThatThrownBy(() -> new QueryBusProperties(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
