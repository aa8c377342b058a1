package dev.aiagg.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.Usage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResponseCacheTest {

    private final ObjectMapper json = new ObjectMapper();
    private final InMemoryResponseCache cache = new InMemoryResponseCache(json, new LlmProperties(
            4096, 1_000_000, "memory", "memory", Duration.ofHours(1), Duration.ofMillis(250), Duration.ofSeconds(5),
            Duration.ofSeconds(30)));

    @Test
    void onlyOptedInDeterministicPlainRequestsAreCached() throws Exception {
        ObjectNode deterministic = (ObjectNode) json.readTree("{\"model\":\"m\",\"temperature\":0}");
        ObjectNode warm = (ObjectNode) json.readTree("{\"model\":\"m\",\"temperature\":0.7}");
        ObjectNode unset = (ObjectNode) json.readTree("{\"model\":\"m\"}");

        assertThat(ResponseCache.applies("true", false, false, deterministic)).isTrue();
        assertThat(ResponseCache.applies(null, false, false, deterministic)).isFalse();
        assertThat(ResponseCache.applies(null, true, false, deterministic)).as("the key's setting").isTrue();
        assertThat(ResponseCache.applies("false", true, false, deterministic)).as("turned off per request").isFalse();
        assertThat(ResponseCache.applies("true", false, true, deterministic)).as("streaming").isFalse();
        assertThat(ResponseCache.applies("true", false, false, warm)).isFalse();
        assertThat(ResponseCache.applies("true", false, false, unset)).isFalse();
    }

    @Test
    void theSameRequestInAnotherKeyOrderHitsTheSameEntry() throws Exception {
        ObjectNode one = (ObjectNode) json.readTree(
                "{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        ObjectNode other = (ObjectNode) json.readTree(
                "{\"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],\"temperature\":0,\"model\":\"m\"}");
        ObjectNode different = (ObjectNode) json.readTree(
                "{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"bye\"}]}");
        ObjectNode answer = (ObjectNode) json.readTree("{\"id\":\"chatcmpl-1\"}");

        cache.keep(cache.key("cmp_a", "m", Dialect.OPENAI, one), new ResponseCache.Entry(answer, Usage.NONE));

        assertThat(cache.find(cache.key("cmp_a", "m", Dialect.OPENAI, other))).get()
                .extracting(entry -> entry.body().get("id").asText()).isEqualTo("chatcmpl-1");
        assertThat(cache.find(cache.key("cmp_a", "m", Dialect.ANTHROPIC, other))).as("another dialect").isEmpty();
        assertThat(cache.find(cache.key("cmp_a", "m", Dialect.OPENAI, different))).isEmpty();
    }

    @Test
    void anotherCompanysIdenticalRequestNeverHitsTheEntry() throws Exception {
        ObjectNode request = (ObjectNode) json.readTree(
                "{\"model\":\"m\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"secret plan\"}]}");
        cache.keep(cache.key("cmp_a", "m", Dialect.OPENAI, request),
                new ResponseCache.Entry((ObjectNode) json.readTree("{\"id\":\"chatcmpl-a\"}"), Usage.NONE));

        assertThat(cache.find(cache.key("cmp_a", "m", Dialect.OPENAI, request))).isPresent();
        assertThat(cache.find(cache.key("cmp_b", "m", Dialect.OPENAI, request))).isEmpty();
    }
}
