package dev.aiagg.axon.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aiagg.axon.AxonIntegrationTest;
import dev.aiagg.axon.sample.AddNote;
import dev.aiagg.axon.sample.NoteAdded;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class CorrelationTest extends AxonIntegrationTest {

    private final ObjectMapper json = new ObjectMapper();

    @Autowired
    CommandGateway commandGateway;
    @Autowired
    EventGateway eventGateway;
    @Autowired
    JdbcTemplate jdbc;

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void theCallersMdcReachesTheEventsACommandCauses() throws IOException {
        String notebookId = "notebook-" + UUID.randomUUID();
        MDC.put(CorrelationKeys.CORRELATION_ID, "req-1");
        MDC.put(CorrelationKeys.ACTOR, "member-7");
        MDC.put(CorrelationKeys.COMPANY_ID, "company-3");

        commandGateway.sendAndWait(new AddNote(notebookId, "hello"));

        JsonNode metaData = storedMetaData("aggregate_identifier", notebookId);
        assertThat(metaData.path(CorrelationKeys.CORRELATION_ID).asText()).isEqualTo("req-1");
        assertThat(metaData.path(CorrelationKeys.ACTOR).asText()).isEqualTo("member-7");
        assertThat(metaData.path(CorrelationKeys.COMPANY_ID).asText()).isEqualTo("company-3");
        assertThat(MDC.get(CorrelationKeys.CORRELATION_ID))
                .as("the command handler restores the caller's MDC").isEqualTo("req-1");
    }

    @Test
    void anEventHandlerLogsWithTheCorrelationIdOfItsEvent() {
        String notebookId = "notebook-" + UUID.randomUUID();
        MDC.put(CorrelationKeys.CORRELATION_ID, "req-2");

        commandGateway.sendAndWait(new AddNote(notebookId, "hello"));

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForList(
                        "select correlation_id from sample_note where notebook_id = ?", String.class, notebookId),
                seen -> seen.equals(List.of("req-2")));
    }

    @Test
    void metaDataSetExplicitlyWinsOverTheMdc() throws IOException {
        MDC.put(CorrelationKeys.CORRELATION_ID, "from-mdc");
        MDC.put(CorrelationKeys.ACTOR, "member-8");
        EventMessage<?> event = GenericEventMessage.asEventMessage(new NoteAdded("loose", "x", Instant.now()))
                .andMetaData(Map.of(CorrelationKeys.CORRELATION_ID, "explicit"));

        eventGateway.publish(event);

        JsonNode metaData = storedMetaData("event_identifier", event.getIdentifier());
        assertThat(metaData.path(CorrelationKeys.CORRELATION_ID).asText()).isEqualTo("explicit");
        assertThat(metaData.path(CorrelationKeys.ACTOR).asText()).isEqualTo("member-8");
        assertThat(metaData.has(CorrelationKeys.COMPANY_ID)).isFalse();
    }

    private JsonNode storedMetaData(String column, String value) throws IOException {
        byte[] bytes = jdbc.queryForObject(
                "select meta_data from domain_event_entry where " + column + " = ?", byte[].class, value);
        return json.readTree(bytes);
    }
}
