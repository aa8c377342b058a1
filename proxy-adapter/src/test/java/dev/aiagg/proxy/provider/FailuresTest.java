package dev.aiagg.proxy.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.proxy.provider.UpstreamFailure.Cause;
import dev.aiagg.proxy.provider.UpstreamFailure.Next;
import java.net.ConnectException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static HttpHeaders headers(String name, String value) {
        return HttpHeaders.of(Map.of(name, List.of(value)), (a, b) -> true);
    }

    @Test
    void aRefusedRequestKeepsItsStatusTypeAndMessage() throws Exception {
        UpstreamFailure openAi = Failures.fromStatus("openai", 404, json("""
                {"error":{"message":"The model `x` does not exist","type":"invalid_request_error","param":null,
                          "code":"model_not_found"}}"""), null);
        UpstreamFailure anthropic = Failures.fromStatus("anthropic", 400, json("""
                {"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: too large"}}"""), null);

        assertThat(openAi.next()).isEqualTo(Next.STOP);
        assertThat(openAi.error().status()).isEqualTo(404);
        assertThat(openAi.error().getMessage()).isEqualTo("The model `x` does not exist");
        assertThat(anthropic.error().type()).isEqualTo("invalid_request_error");
        assertThat(anthropic.error().getMessage()).isEqualTo("max_tokens: too large");
    }

    @Test
    void ourWrongKeyIsABadGatewayForTheClient() throws Exception {
        UpstreamFailure failure = Failures.fromStatus("anthropic", 401, json("""
                {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"""), null);

        assertThat(failure.error().status()).isEqualTo(502);
        assertThat(failure.error().getMessage()).doesNotContain("x-api-key");
        assertThat(failure.next()).isEqualTo(Next.NEXT_DEPLOYMENT);
    }

    @Test
    void overloadIsRetriedButAnExhaustedQuotaIsNot() throws Exception {
        assertThat(Failures.fromStatus("anthropic", 529, null, null).next()).isEqualTo(Next.RETRY);
        assertThat(Failures.fromStatus("anthropic", 529, null, null).error().status()).isEqualTo(503);
        UpstreamFailure spendCap = Failures.fromStatus("anthropic", 429, json("""
                {"type":"error","error":{"type":"rate_limit_error","message":"limit",
                 "details":{"error_code":"enforced_spend_limit_reached"}}}"""), null);
        UpstreamFailure quota = Failures.fromStatus("openai", 429, json("""
                {"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,
                          "code":"insufficient_quota"}}"""), null);
        assertThat(spendCap.next()).isEqualTo(Next.NEXT_DEPLOYMENT);
        assertThat(quota.next()).isEqualTo(Next.NEXT_DEPLOYMENT);
        assertThat(quota.cause()).isEqualTo(Cause.OVERLOADED);
    }

    @Test
    void errorEventsOfEveryShapeAreClassified() throws Exception {
        assertThat(Failures.fromErrorEvent("openrouter", json("""
                {"error":{"code":429,"message":"Rate limited"}}""")).error().status()).isEqualTo(503);
        assertThat(Failures.fromErrorEvent("openrouter", json("""
                {"error":{"code":400,"message":"bad"}}""")).next()).isEqualTo(Next.STOP);
        assertThat(Failures.fromErrorEvent("anthropic", json("""
                {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""")).cause())
                .isEqualTo(Cause.OVERLOADED);
        assertThat(Failures.fromErrorEvent("openai", json("""
                {"error":{"message":"boom","type":"server_error","param":null,"code":null}}""")).error().status())
                .isEqualTo(502);
    }

    @Test
    void clientExceptionsAreTimeoutsOrBrokenConnections() {
        assertThat(Failures.fromThrowable("openai", new CompletionException(new TimeoutException())).cause())
                .isEqualTo(Cause.TIMEOUT);
        assertThat(Failures.fromThrowable("openai", new ConnectException("refused")).error().status())
                .isEqualTo(502);
    }

    @Test
    void retryAfterIsReadInEveryForm() {
        assertThat(Failures.retryAfter(headers("retry-after-ms", "250"))).isEqualTo(Duration.ofMillis(250));
        assertThat(Failures.retryAfter(headers("retry-after", "2"))).isEqualTo(Duration.ofSeconds(2));
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
        assertThat(Failures.retryAfter(headers("retry-after", date))).isBetween(Duration.ofSeconds(25),
                Duration.ofSeconds(31));
        assertThat(Failures.retryAfter(headers("retry-after", "soon"))).isNull();
        assertThat(Failures.retryAfter(HttpHeaders.of(Map.of(), (a, b) -> true))).isNull();
    }
}
