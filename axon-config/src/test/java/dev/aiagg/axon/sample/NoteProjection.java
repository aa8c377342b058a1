package dev.aiagg.axon.sample;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.slf4j.MDC;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** One row per note; it records the MDC correlation id seen while handling, to show the MDC is set. */
@Component
@ProcessingGroup(NoteProjection.GROUP)
public class NoteProjection {

    public static final String GROUP = "sample-notes";

    private final JdbcTemplate jdbc;

    NoteProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(NoteAdded event, EventMessage<?> message) {
        jdbc.update("insert into sample_note (event_id, notebook_id, text, correlation_id) values (?, ?, ?, ?)",
                message.getIdentifier(), event.notebookId(), event.text(), MDC.get("correlationId"));
    }

    @ResetHandler
    void reset() {
        jdbc.update("delete from sample_note");
    }
}
