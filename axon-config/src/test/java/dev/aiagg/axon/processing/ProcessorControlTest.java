package dev.aiagg.axon.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aiagg.api.NotFoundException;
import dev.aiagg.axon.AxonIntegrationTest;
import dev.aiagg.axon.publication.RabbitMqPublication;
import dev.aiagg.axon.sample.AddNote;
import dev.aiagg.axon.sample.NoteAdded;
import dev.aiagg.axon.sample.NoteProjection;
import java.time.Duration;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class ProcessorControlTest extends AxonIntegrationTest {

    @Autowired
    ProcessorControl processorControl;
    @Autowired
    CommandGateway commandGateway;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void listsEveryStreamingProcessor() {
        assertThat(processorControl.list())
                .extracting(ProcessorStatus::name)
                .contains(NoteProjection.GROUP, RabbitMqPublication.PROCESSING_GROUP);
        assertThat(processorControl.list()).allSatisfy(status -> assertThat(status.running()).isTrue());
    }

    @Test
    void aPausedProcessorIsNotCaughtUpUntilItResumes() {
        processorControl.pause(NoteProjection.GROUP);
        try {
            assertThat(processorControl.isCaughtUp(NoteProjection.GROUP)).isFalse();
            assertThat(processorControl.list()).filteredOn(status -> status.name().equals(NoteProjection.GROUP))
                    .singleElement().satisfies(status -> assertThat(status.running()).isFalse());
        } finally {
            processorControl.resume(NoteProjection.GROUP);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> processorControl.isCaughtUp(NoteProjection.GROUP));
    }

    @Test
    void replayRebuildsAProjectionFromTheFirstEvent() {
        String notebookId = "notebook-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            commandGateway.sendAndWait(new AddNote(notebookId, "note " + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> processorControl.isCaughtUp(NoteProjection.GROUP)
                && jdbc.queryForObject("select count(*) from sample_note where notebook_id = ?", Long.class,
                notebookId) == 3);
        jdbc.update("insert into sample_note (event_id, notebook_id, text) values ('stray', 'x', 'not an event')");
        jdbc.update("delete from sample_note where notebook_id = ?", notebookId);

        processorControl.replay(NoteProjection.GROUP);

        await().atMost(Duration.ofSeconds(20)).until(() -> processorControl.isCaughtUp(NoteProjection.GROUP));
        await().atMost(Duration.ofSeconds(20)).until(() -> rowsAndDeadLetters() == storedNotes());
        assertThat(processorControl.list()).filteredOn(status -> status.name().equals(NoteProjection.GROUP))
                .singleElement().satisfies(status -> assertThat(status.replaying()).isFalse());
        assertThat(jdbc.queryForObject("select count(*) from sample_note where notebook_id = ?", Long.class,
                notebookId)).isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from sample_note where event_id = 'stray'", Long.class))
                .isZero();
    }

    /**
     * Axon's pooled processor alone looks for new events every 500 ms while idle, so four commits in a row would almost
     * surely include one seen after 250 ms or more; with the commit signal each is seen within tens of milliseconds.
     */
    @Test
    void anIdleProcessorSeesANewEventRightAfterItsCommit() {
        addNoteAndWaitForIt();
        Duration slowest = Duration.ZERO;
        for (int i = 0; i < 4; i++) {
            Duration seenAfter = addNoteAndWaitForIt();
            slowest = seenAfter.compareTo(slowest) > 0 ? seenAfter : slowest;
        }
        assertThat(slowest).isLessThan(Duration.ofMillis(250));
    }

    private Duration addNoteAndWaitForIt() {
        await().atMost(Duration.ofSeconds(10)).until(() -> processorControl.isCaughtUp(NoteProjection.GROUP));
        String notebookId = "notebook-" + UUID.randomUUID();
        long start = System.nanoTime();
        commandGateway.sendAndWait(new AddNote(notebookId, "prompt"));
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5)).until(() -> jdbc.queryForObject(
                "select count(*) from sample_note where notebook_id = ?", Long.class, notebookId) == 1);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void anUnknownProcessorIsNotFound() {
        assertThatThrownBy(() -> processorControl.pause("no-such-processor"))
                .isInstanceOf(NotFoundException.class);
    }

    /** Every note is a row, or a dead letter (other tests store notes that their handler cannot handle). */
    private long rowsAndDeadLetters() {
        return jdbc.queryForObject("select count(*) from sample_note", Long.class) + jdbc.queryForObject(
                "select count(*) from dead_letter_entry where processing_group = ?", Long.class, NoteProjection.GROUP);
    }

    private long storedNotes() {
        return jdbc.queryForObject("select count(*) from domain_event_entry where payload_type = ?", Long.class,
                NoteAdded.class.getName());
    }
}
